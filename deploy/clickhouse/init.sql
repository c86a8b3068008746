-- Runs once on each server's first start: the database Segscope uses (tables are Segscope's job).
CREATE DATABASE IF NOT EXISTS segscope;
