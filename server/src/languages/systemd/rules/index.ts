// Registry of every systemd unit-file rule. Add one import and one array entry per rule file.

import { deprecatedDirective } from './deprecatedDirective';
import { directiveNotInVersion } from './directiveNotInVersion';
import { directiveWrongSection } from './directiveWrongSection';
import { duplicateDirective } from './duplicateDirective';
import { gunicornCommandLine } from './gunicornCommandLine';
import { gunicornDaemonUnderSystemd } from './gunicornDaemonUnderSystemd';
import { gunicornExecReload } from './gunicornExecReload';
import { gunicornKillMode } from './gunicornKillMode';
import { gunicornLimitNofile } from './gunicornLimitNofile';
import { gunicornPrivateTmpSocket } from './gunicornPrivateTmpSocket';
import { gunicornReloadInUnit } from './gunicornReloadInUnit';
import { gunicornServiceType } from './gunicornServiceType';
import { gunicornStopTimeout } from './gunicornStopTimeout';
import { invalidDirectiveValue } from './invalidDirectiveValue';
import { missingExecStart } from './missingExecStart';
import { missingListen } from './missingListen';
import { missingTimerTrigger } from './missingTimerTrigger';
import { missingInstall } from './missingInstall';
import { socketUnitMissing } from './socketUnitMissing';
import type { UnitRule } from './types';
import { unitSyntax } from './unitSyntax';
import { unknownDirective } from './unknownDirective';
import { unknownSection } from './unknownSection';

export const unitRules: readonly UnitRule[] = [
  unitSyntax,
  unknownSection,
  unknownDirective,
  directiveWrongSection,
  directiveNotInVersion,
  invalidDirectiveValue,
  deprecatedDirective,
  duplicateDirective,
  missingInstall,
  missingExecStart,
  missingListen,
  missingTimerTrigger,
  gunicornCommandLine,
  gunicornDaemonUnderSystemd,
  gunicornReloadInUnit,
  gunicornServiceType,
  gunicornExecReload,
  gunicornKillMode,
  gunicornStopTimeout,
  gunicornPrivateTmpSocket,
  socketUnitMissing,
  gunicornLimitNofile,
];
