// The example's script: app_run runs it on app.bin (ctest: runs_main).
import { get, getLater, set } from "ext:kv/kv.js";

set("greeting", "hello from kv");
console.log(get("greeting"));
console.log(await getLater("greeting"), "(async)");
try {
  get("missing");
} catch (error) {
  console.log(`${error.name}: ${error.message}`);
}
