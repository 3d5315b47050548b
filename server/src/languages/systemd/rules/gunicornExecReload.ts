// Rule: gunicorn-exec-reload — a Gunicorn service whose `systemctl reload` does not send SIGHUP to the master.

import { splitCommands } from '../../gunicorn/commandWords';
import { insertLineAfter, serviceGunicornExec, replaceValueEdit, serviceDirective } from '../gunicornExec';
import type { UnitRule } from './types';
import { unitRuleDocsUrl } from './types';

const HUP_RELOAD = '/bin/kill -s HUP $MAINPID';

const SIGNAL_NUMBERS: Record<string, string> = {
  '1': 'HUP',
  '2': 'INT',
  '3': 'QUIT',
  '9': 'KILL',
  '15': 'TERM',
};

function signalName(text: string): string {
  const upper = text.toUpperCase().replace(/^SIG/, '');
  return SIGNAL_NUMBERS[upper] ?? upper;
}

/** What an ExecReload= command does to Gunicorn instead of reloading it, when it clearly stops or restarts it. */
function stopsInsteadOfReloading(value: string): string | undefined {
  for (const words of splitCommands(value, 0, 'systemd')) {
    const program = (words[0]?.text ?? '').replace(/^[-@:+!]+/, '');
    const name = program.slice(program.lastIndexOf('/') + 1);
    const args = words.slice(1).map((w) => w.text);
    if (name === 'systemctl' && args.some((a) => a === 'restart' || a === 'stop')) {
      return `runs \`systemctl ${args.find((a) => a === 'restart' || a === 'stop')!}\``;
    }
    if (name !== 'kill') continue;
    let signal = 'TERM';
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      if (arg === '-s' || arg === '-n' || arg === '--signal') signal = signalName(args[++i] ?? '');
      else if (/^--signal=/.test(arg)) signal = signalName(arg.slice('--signal='.length));
      else if (/^-[A-Za-z0-9]+$/.test(arg) && arg !== '-l' && arg !== '-L') signal = signalName(arg.slice(1));
    }
    if (['TERM', 'INT', 'QUIT', 'KILL'].includes(signal)) return `sends SIG${signal}, which stops Gunicorn`;
  }
  return undefined;
}

export const gunicornExecReload: UnitRule = {
  meta: {
    id: 'gunicorn-exec-reload',
    defaultSeverity: 'info',
    description:
      'A Gunicorn service without ExecReload= sending SIGHUP to the master (or with one that stops it), so `systemctl reload` cannot reload it gracefully.',
    docsUrl: unitRuleDocsUrl('gunicorn-exec-reload'),
  },
  check(context) {
    const { model, isDropIn, range, report } = context;
    const exec = serviceGunicornExec(context);
    // $MAINPID is only Gunicorn when systemd started Gunicorn itself, not a runner or a shell in front of it.
    if (!exec?.direct) return;
    const reload = serviceDirective(model, 'ExecReload');
    if (reload && reload.value !== '') {
      const wrong = stopsInsteadOfReloading(reload.value);
      if (!wrong) return;
      report({
        range: range(reload.valueSpan),
        message: `This ExecReload= ${wrong}: \`systemctl reload\` would drop the requests in flight. SIGHUP makes the Gunicorn master re-read its configuration and replace its workers gracefully.`,
        fixes: [
          {
            title: `Change to ${HUP_RELOAD}`,
            edits: [replaceValueEdit(model, reload, HUP_RELOAD)],
            isPreferred: true,
          },
        ],
      });
      return;
    }
    if (isDropIn && !reload) return;
    report({
      range: range(exec.directive.keySpan),
      message:
        'No ExecReload=: `systemctl reload` fails for this service. Gunicorn reloads on SIGHUP (new configuration, fresh workers started before the old ones finish their requests), so add an ExecReload= that sends it.',
      fixes: [
        {
          title: `Add ExecReload=${HUP_RELOAD}`,
          edits: [insertLineAfter(model, exec.directive, `ExecReload=${HUP_RELOAD}`)],
          isPreferred: true,
        },
      ],
    });
  },
};
