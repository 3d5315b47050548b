workers = 3
worker = 4
