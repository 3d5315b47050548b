// Runs the parser, rules, hover and completion once on a small sample so the first real document meets warm code.

import { analyzeGunicornConfig } from './analyze';
import { gunicornCatalog } from './catalog';
import { gunicornCompletions } from './completion';
import { gunicornHover } from './hover';
import { parseGunicornConfig } from './parse';

const SAMPLE = `import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = multiprocessing.cpu_count() * 2 + 1
worker_class = "gthread"
threads = 4
timeout = 30
keep_alive = 5
max_requests = 1000
forwarded_allow_ips = ["127.0.0.1"]
access_log_format = '%(h)s "%(r)s" %(s)s %(x)s'

def post_fork(server, worker):
    pass
`;

export function warmUpGunicorn(): void {
  const catalog = gunicornCatalog();
  const ctx = { version: catalog.latest, versionLabel: 'warm-up' };
  const model = parseGunicornConfig(SAMPLE);
  analyzeGunicornConfig(model, { ...ctx, uri: 'warm-up:gunicorn.conf.py' });
  gunicornHover(model, SAMPLE.indexOf('timeout'), ctx);
  gunicornCompletions(model, SAMPLE.indexOf('\ndef') + 1, ctx);
}
