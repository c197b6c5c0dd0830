import Foundation
import HTTPTypes
import Hummingbird
import PortalAPI

/// The OpenAPI document, the stylesheet and the script.
struct OperationsController: Sendable {
    let stylesheet: ByteBuffer
    let script: ByteBuffer
    let openAPI: ByteBuffer
    var benchmarkMode = false

    func addRoutes(to router: Router<AppRequestContext>) {
        if benchmarkMode {
            // The framework's ceiling for the benchmark harness: no database, no template, a constant answer.
            router.get("/bench/hello") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: "ok")))
            }
        }
        router.get("/openapi.yaml") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/yaml; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: self.openAPI))
        }
        router.get("/static/site.css") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/css; charset=utf-8"
            headers[.cacheControl] = "public, max-age=3600"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: self.stylesheet))
        }
        router.get("/static/site.js") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/javascript; charset=utf-8"
            headers[.cacheControl] = "public, max-age=3600"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: self.script))
        }
    }
}
