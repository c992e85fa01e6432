"""Modal forms: each collects input, calls one service in a worker, and shows refusals inline."""
