// Shake the tree: a small animation.
const tree = require("./tree");
let frames = 0;
function shake(node) {
  node.x = Math.sin(frames) * 2;
}
x = shake(tree);
console.log("done");
