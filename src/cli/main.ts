import { runCli } from './program.js';

// The only place that touches the real process: argv, env, streams, signals and the exit code.
let stop: Promise<NodeJS.Signals> | undefined;
function waitForStop(): Promise<NodeJS.Signals> {
  stop ??= new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      // A second signal while shutting down means "now": exit without waiting for in-flight work.
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve(signal);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  return stop;
}

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  waitForStop,
});
process.exit(code);
