import Foundation
import HTTPTypes
import HummingbirdTesting
import PortalTestSupport
import PortalWeb
import Testing

@Suite struct LookupLimitTests {
    @Test(arguments: TestEngine.available)
    func lookupsBeyondTheLimitGet429WithRetryAfter(engine: TestEngine) async throws {
        try await TestPortal.withClient(engine, configure: { $0.lookupsPerMinute = 3 }) { client in
            for _ in 0..<3 {
                try await client.execute(uri: "/api/v1/dossiers/000.00.61.H29-250101-0001/status", method: .get) {
                    #expect($0.status == .notFound)
                }
            }
            try await client.execute(uri: "/api/v1/dossiers/000.00.61.H29-250101-0001/status", method: .get) {
                #expect($0.status == .tooManyRequests)
                let wait = try #require($0.headers[.retryAfter].flatMap { Int($0) })
                #expect((1...60).contains(wait))
                #expect($0.text.contains("\"code\":\"too_many_requests\""))
            }
            // The page shares the client's budget.
            try await client.execute(uri: "/tra-cuu?code=000.00.61.H29-250101-0001", method: .get) {
                #expect($0.status == .tooManyRequests)
                #expect($0.headers[.retryAfter] != nil)
            }
        }
    }
}
