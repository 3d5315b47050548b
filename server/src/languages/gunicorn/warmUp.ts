// Runs the parser, rules, hover and completion on a sample a few times, so the first real document meets code the
// JIT has already optimised (a 500-line config: ~40 ms cold, ~6 ms after the rounds).

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

/** The sample twice over (hooks renamed so each is new): small rounds keep each one short even while cold. */
const LARGE_SAMPLE = [0, 1].map((i) => SAMPLE.replace(/^def (\w+)/gm, `def $1_${i}`)).join('\n');

/** The number of rounds worth running; each takes a few milliseconds, so hosts can run them between requests. */
export const WARM_UP_ROUNDS = 40;

/** One round of warm-up (`round` 0 is the cheapest, for hosts that run only one). */
export function warmUpGunicorn(round = 0): void {
  const catalog = gunicornCatalog();
  const ctx = { version: catalog.latest, versionLabel: 'warm-up' };
  const sample = round === 0 ? SAMPLE : `${LARGE_SAMPLE}\n# ${round}\n`;
  const model = parseGunicornConfig(sample);
  analyzeGunicornConfig(model, { ...ctx, uri: 'warm-up:gunicorn.conf.py' });
  gunicornHover(model, sample.indexOf('timeout'), ctx);
  gunicornCompletions(model, sample.indexOf('\ndef') + 1, ctx);
}
