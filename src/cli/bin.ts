/** Bundle entry of the CLI: runs on load (bin/oss-batch requires the bundle, so require.main is not this module). */
import { EXIT } from './errors';
import { main } from './main';

const args = process.argv.slice(2);
main(args).then((code) => {
  // The emulator keeps running until a signal; everything else exits with its code.
  if (code !== EXIT.OK || !args.includes('emulator')) process.exit(code);
});
