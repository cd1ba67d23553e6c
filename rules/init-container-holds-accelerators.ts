import { podAcceleratorRequests } from '../core/accelerators';
import { describeContainer, defineRule } from '../core/rule';

/**
 * An init container that asks for more accelerator devices than the pod's app containers (and
 * sidecars) use. The scheduler reserves a pod's effective request for as long as the pod exists,
 * and for each resource that is max(sum of app containers and sidecars, max over init containers
 * of init + sidecars started before it). So an init container that takes 8 GPUs for a warm-up
 * or a conversion step makes the whole pod need 8 free GPUs on one node before it can start, and
 * keeps them reserved while the app uses 1.
 *
 * An init container that asks for no more than the app containers costs nothing: the effective
 * request does not change, and the kubelet's device manager hands the devices it gave the init
 * container on to the app containers. That case is not reported.
 */
export default defineRule({
  meta: {
    id: 'init-container-holds-accelerators',
    stage: 'scheduling',
    defaultSeverity: 'warning',
    description: 'Init container that asks for more GPUs or other accelerators than the app containers: the pod reserves the larger number for its whole life.',
    startupCost:
      "A pod's effective request is the larger of its init containers' and its app containers' requests. An init container asking for 8 GPUs while the app uses 1 makes the pod wait in Pending until one node has 8 free GPUs (minutes to hours on a busy cluster, forever if no node has 8), then keeps 7 GPUs reserved and idle for as long as the pod runs.",
    fixable: false,
    options: {},
  },
  check({ workload, report }) {
    for (const total of podAcceleratorRequests(workload)) {
      const init = total.largestInit;
      if (!init?.entry.value || init.step <= total.running) continue;
      const running = total.running === 0 ? 'none' : String(total.running);
      const idle = init.step - total.running;
      const sidecars = init.step > (init.entry.quantity ?? 0) ? ` (with the sidecars started before it, ${init.step})` : '';
      report({
        target: init.entry.value,
        message: `${describeContainer(init.container)} asks for ${init.entry.text} \`${total.resource}\`${sidecars} while the app containers and sidecars use ${running}: the pod's effective request is the larger number, so it stays Pending until one node has ${init.step} free, and keeps ${idle} of them reserved and idle for its whole life. Give the init container no more than the app containers use (the device plugin passes its devices on to them), or no accelerator if the step does not need one.`,
      });
    }
  },
});
