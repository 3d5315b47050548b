// Every deployment rule, in the order they run.

import { appAttributeMissing } from './appAttributeMissing';
import { appCallNotFactory } from './appCallNotFactory';
import { appDotInsteadOfColon } from './appDotInsteadOfColon';
import { appFactoryNotCalled } from './appFactoryNotCalled';
import { appModuleNotFound } from './appModuleNotFound';
import { appSpecInvalid } from './appSpecInvalid';
import { appWorkerMismatch } from './appWorkerMismatch';
import { bindAddressMismatch } from './bindAddressMismatch';
import { containerBindLoopback } from './containerBindLoopback';
import { containerPortNotDeclared } from './containerPortNotDeclared';
import { containerMemoryWorkers } from './containerMemoryWorkers';
import { containerShellSignals } from './containerShellSignals';
import { containerStopBeforeGraceful } from './containerStopBeforeGraceful';
import { containerStopSignalQuick } from './containerStopSignalQuick';
import { orchestratorPortMismatch } from './orchestratorPortMismatch';
import { platformStopSignalQuick } from './platformStopSignalQuick';
import { probePortMismatch } from './probePortMismatch';
import { livenessBeforeSlowBoot } from './livenessBeforeSlowBoot';
import { bindIgnoredBySocketActivation } from './bindIgnoredBySocketActivation';
import { daemonServiceType } from './daemonServiceType';
import { djangoSettingsModuleMissing } from './djangoSettingsModuleMissing';
import { forwardedHeadersUntrusted } from './forwardedHeadersUntrusted';
import { geventPsycogreenMissing } from './geventPsycogreenMissing';
import { memoryMaxWorkers } from './memoryMaxWorkers';
import { preloadGpuFramework } from './preloadGpuFramework';
import { preloadHupReload } from './preloadHupReload';
import { prometheusMultiprocess } from './prometheusMultiprocess';
import { protocolMismatch } from './protocolMismatch';
import { proxyReadTimeoutShort } from './proxyReadTimeoutShort';
import { secureSchemeHeaderMismatch } from './secureSchemeHeaderMismatch';
import { socketInPrivateTmp } from './socketInPrivateTmp';
import { socketPermissionDenied } from './socketPermissionDenied';
import { stopTimeoutBelowGraceful } from './stopTimeoutBelowGraceful';
import type { DeploymentRule } from './types';
import { websocketSyncWorker } from './websocketSyncWorker';
import { workerConnectionsNofile } from './workerConnectionsNofile';
import { workersCpuCount } from './workersCpuCount';
import { workerPackageMissing } from './workerPackageMissing';
import { writePathReadOnly } from './writePathReadOnly';

export const deploymentRules: readonly DeploymentRule[] = [
  bindAddressMismatch,
  bindIgnoredBySocketActivation,
  socketInPrivateTmp,
  socketPermissionDenied,
  proxyReadTimeoutShort,
  stopTimeoutBelowGraceful,
  containerStopBeforeGraceful,
  containerStopSignalQuick,
  platformStopSignalQuick,
  containerShellSignals,
  containerBindLoopback,
  containerPortNotDeclared,
  orchestratorPortMismatch,
  probePortMismatch,
  livenessBeforeSlowBoot,
  forwardedHeadersUntrusted,
  secureSchemeHeaderMismatch,
  protocolMismatch,
  daemonServiceType,
  preloadHupReload,
  websocketSyncWorker,
  memoryMaxWorkers,
  containerMemoryWorkers,
  workerConnectionsNofile,
  writePathReadOnly,
  appSpecInvalid,
  appModuleNotFound,
  appDotInsteadOfColon,
  appAttributeMissing,
  appFactoryNotCalled,
  appCallNotFactory,
  appWorkerMismatch,
  geventPsycogreenMissing,
  preloadGpuFramework,
  prometheusMultiprocess,
  workersCpuCount,
  djangoSettingsModuleMissing,
  workerPackageMissing,
];
