import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortalTestSupport
import PortalWeb
import Testing

/// An address asked with a method it does not answer gets 405 with `Allow` (JSON under `/api/`, a page elsewhere),
/// before any CSRF check; HEAD works wherever GET does; staff addresses keep their 404.
@Suite struct MethodTests {
    @Test(arguments: TestEngine.available)
    func wrongMethodsAreNamedWithTheMethodsAllowed(engine: TestEngine) async throws {
        try await TestPortal.withClient(engine) { client in
            try await client.execute(uri: "/api/v1/stats/summary", method: .delete) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, HEAD")
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(response.text.contains("\"code\":\"method_not_allowed\""))
            }
            try await client.execute(uri: "/api/v1/sync/dossiers", method: .get) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
            }
            try await client.execute(uri: "/api/v1/dossiers/000.00.61.H29-261129-0001/status", method: .put) {
                response in
                #expect(response.status == .methodNotAllowed && response.headers[.allow] == "GET, HEAD")
            }
            // A form posted to a read-only page is told so, not that its token is wrong.
            try await client.execute(uri: "/tra-cuu", method: .post) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, HEAD")
                #expect(response.text.contains("<html") && response.text.contains("Phương thức không được hỗ trợ"))
            }
            try await client.execute(uri: "/tra-cuu", method: .head) { response in
                #expect(response.status == .ok && response.headers[.contentType]?.hasPrefix("text/html") == true)
            }
            // Unknown addresses stay 404, and staff pages do not reveal that they exist.
            try await client.execute(uri: "/api/v1/khong-co", method: .delete) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/can-bo/phan-anh", method: .delete) {
                #expect($0.status != .methodNotAllowed)
            }
        }
    }
}
