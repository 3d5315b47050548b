// Which nginx rules may speak before the workspace's first deployment build: only those whose findings nothing the
// build brings can take back, so that findings may appear when it arrives but never disappear.

import { nginxRules } from './index';
import type { NginxRule } from './types';

/**
 * What the first build tells an nginx file's analysis, and how each of them can take a finding back:
 * - the include context: the file's top level may sit in `http`, `server`, `location`, `stream`… or in the value
 *   body of `map`, `geo`, `types` or `split_clients` (`map $host $pool { include pools.conf; }`), where its lines are
 *   `key value;` pairs and no directive at all is judged; and the context decides the catalogue entries, the nested
 *   blocks' contexts, the wording of messages and what proxy checks inherit from above the file;
 * - the nginx target: images named in Dockerfiles and compose files may replace the assumed newest release, and with
 *   it every catalogue verdict (a directive or keyword the newest release dropped is fine in an older one);
 * - other files' facts: upstreams defined elsewhere, loaded modules, Gunicorn's addresses and worker class.
 *
 * `null` means the rule's findings do not depend on any of them (or only grow with them); otherwise the reason it is
 * withheld until the build. Every nginx rule must be listed (a unit test checks it), so a new rule decides too.
 */
export const WITHHELD_BEFORE_BUILD: Readonly<Record<string, string | null>> = {
  // nginx's tokenizer knows no contexts: missing ";", stray braces and quotes read the same wherever the file lands.
  'nginx-syntax': null,
  'nginx-unknown-directive':
    'included into a map/geo/types body its names are keys, not directives; suggestions depend on context and release',
  'nginx-module-directive':
    'the note "make sure nginx.conf loads it" becomes nothing once nginx.conf is seen to load the module',
  // Without facts it reports only a module loaded before the module it needs, in this file's own order, which the
  // facts do not change; the facts only add "nothing loads it".
  'nginx-module-load-order': null,
  'nginx-directive-version': 'the target release may change when the build finds nginx images',
  'nginx-directive-context': 'the include context decides where the top level sits',
  'nginx-block-mismatch': 'the include context decides which catalogue entries govern a directive',
  'nginx-argument-count': 'the include context and the target release decide the accepted counts',
  'nginx-invalid-flag': 'the include context decides whether a line is a directive at all',
  'nginx-invalid-value': 'the include context and the target release decide the accepted values',
  'nginx-duplicate-directive': 'the include context decides which directives are once per block',
  // Before the build the file has no cycles to report: the build only adds them.
  'nginx-include-cycle': null,
  'nginx-foreign-file': 'an nginx file that includes it makes it nginx, checked as such',
  'nginx-empty-upstream': 'an upstream is checked only in http or stream, which the include context decides',
  'nginx-unknown-upstream': 'the upstream may be defined in another file',
  'nginx-proxy-pass-unix': 'an upstream named "unix" in another file makes http://unix/… a valid name',
  'nginx-missing-proxy-headers': 'headers inherited from above the file depend on the include context',
  'nginx-wrong-pass-for-gunicorn': 'a pass is checked only in a location, which the include context decides',
  'nginx-proxy-buffering-off': "Gunicorn's worker class changes the severity or silences it",
  'nginx-websocket-upgrade': "Gunicorn's worker class adds a sentence to the message",
  'nginx-upstream-keepalive': "Gunicorn's worker class adds a sentence to the message",
  'nginx-alias-traversal': 'an alias is checked only in a location, which the include context decides',
  'nginx-fail-timeout': 'an upstream is checked only in http, which the include context decides',
};

/** The rules an nginx file runs while the workspace's first build is pending. */
export const nginxRulesBeforeBuild: readonly NginxRule[] = nginxRules.filter(
  (rule) => WITHHELD_BEFORE_BUILD[rule.meta.id] === null,
);
