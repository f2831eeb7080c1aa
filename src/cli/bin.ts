/** Bundle entry of the CLI: runs on load (bin/oss-batch requires the bundle, so require.main is not this module). */
import { main } from './main';

main(process.argv.slice(2)).then((result) => {
  // Exit explicitly so pooled keep-alive sockets cannot hold the process open; the emulator runs until a signal.
  if (result !== 'serving') process.exit(result);
});
