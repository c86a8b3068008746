// Dismissible notices above the report (e.g. parts of a shared link that could not be read).
export function showNotices(el: HTMLElement, messages: string[]): { destroy(): void } {
  if (messages.length === 0) {
    el.hidden = true;
    return { destroy() {} };
  }
  const list = document.createElement('ul');
  for (const m of messages) {
    const li = document.createElement('li');
    li.textContent = m;
    list.appendChild(li);
  }
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'btn btn--ghost notice-bar__close';
  close.textContent = 'Dismiss';
  const onClose = () => {
    el.hidden = true;
  };
  close.addEventListener('click', onClose);
  el.replaceChildren(list, close);
  el.hidden = false;
  return {
    destroy() {
      close.removeEventListener('click', onClose);
      el.replaceChildren();
      el.hidden = true;
    },
  };
}
