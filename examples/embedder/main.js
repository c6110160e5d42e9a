// The example embedder's script: `make -C examples/embedder run` runs it on embedder.bin.
import { greet, greetLater, wordCount } from "ext:greeter/greeter.js";

console.log(greet("embedder"));
console.log("words:", wordCount("a snapshot checked before V8 reads it"));
console.log(await greetLater("async op", 20));
try {
  greet("");
} catch (error) {
  console.log(`${error.name}: ${error.message}`);
}
