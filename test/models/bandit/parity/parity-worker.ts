/** The Worker the parity test bundles: answers every request with the parity cases computed in workerd. */
import { parityCases } from "./parity-cases.ts";

export default {
  fetch(): Response {
    return new Response(JSON.stringify(parityCases()), {
      // Lets the test check that it really talked to workerd ("Cloudflare-Workers").
      headers: { "content-type": "application/json", "x-runtime": navigator.userAgent },
    });
  },
};
