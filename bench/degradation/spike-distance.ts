// The distance lives with the campaign measures now; the bench and its tests import it from here.
export { vanRossumPerNeuron } from '../../src/campaign/van-rossum.js';
