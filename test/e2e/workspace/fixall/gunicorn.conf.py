# Fix-all and inlay hints in a real VS Code (test/e2e/suite/fixAll.test.ts).
keep_alive = 5
loglevel = "warn"
max_requests = 1000
workers = 2
