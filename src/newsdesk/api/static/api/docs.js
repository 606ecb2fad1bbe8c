// Turns the API reference into Swagger UI when JavaScript runs; without it the
// server-rendered reference below stays as it is.
(function () {
  "use strict";
  var mount = document.getElementById("swagger-ui");
  if (!mount || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  var csrfToken = mount.dataset.csrfToken;
  window.SwaggerUIBundle({
    url: mount.dataset.openapiUrl,
    domNode: mount,
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    requestInterceptor: function (request) {
      if (csrfToken) {
        request.headers["X-CSRFToken"] = csrfToken;
      }
      return request;
    },
  });
  var reference = document.getElementById("api-reference");
  if (reference) {
    reference.hidden = true;
  }
})();
