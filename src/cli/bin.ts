/** Bundle entry of the CLI: runs on load (bin/oss-batch requires the bundle, so require.main is not this module). */
import { runAndExit } from './main';

runAndExit(process.argv.slice(2));
