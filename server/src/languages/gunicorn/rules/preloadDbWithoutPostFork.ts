// Rule: preload-db-without-post-fork — a database/cache client created at import with preload_app is shared by every forked worker.

import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import { lastBinding, spanRange } from './ruleUtils';

/** Calls that open a connection, pool or client when run at import time. */
const OPENERS =
  /(^|\.)(create_engine|create_async_engine|connect|Redis|StrictRedis|from_url|MongoClient|ConnectionPool|create_pool|SimpleConnectionPool|ThreadedConnectionPool)$/;
/** Calls inside post_fork that reset inherited connections. */
const RESETS = /(^|\.)(dispose|close|disconnect|reset|close_all|close_old_connections)$/;

export const preloadDbWithoutPostFork: GunicornRule = {
  meta: {
    id: 'preload-db-without-post-fork',
    defaultSeverity: 'warning',
    description:
      'With preload_app, a connection opened at import time is inherited by every worker unless post_fork resets it.',
    docsUrl: ruleDocsUrl('preload-db-without-post-fork'),
  },
  check({ model, report }) {
    const preload = lastBinding(model, 'preload_app');
    if (!preload || !(preload.value.kind === 'bool' && preload.value.value)) return;
    const opener = model.calls.find((c) => c.inFunction === undefined && OPENERS.test(c.callee));
    if (!opener) return;
    if (model.calls.some((c) => c.inFunction === 'post_fork' && RESETS.test(c.callee))) return;
    const owner = model.bindings.find((b) => b.kind === 'assign' && b.value.span.from === opener.span.from);
    const name = owner?.name ?? 'engine';
    const hasPostFork = model.bindings.some((b) => b.name === 'post_fork');
    const eol = model.lines.eol;
    const end = model.lines.positionAt(model.text.length);
    const prefix = model.text.length === 0 || model.text.endsWith('\n') ? '' : eol;
    const hook = `${prefix}${eol}${eol}def post_fork(server, worker):${eol}    # Each worker needs its own connections; drop the ones inherited from the master.${eol}    ${name}.dispose()${eol}`;
    report({
      range: spanRange(model, opener.span),
      message: `preload_app = True and this connection is opened at import: every worker inherits the same sockets, which corrupts traffic. Dispose or reopen it in post_fork.`,
      fixes: hasPostFork
        ? []
        : [
            {
              title: `Add a post_fork hook that disposes ${name}`,
              edits: [{ range: { start: end, end }, newText: hook }],
              isPreferred: true,
            },
          ],
    });
  },
};
