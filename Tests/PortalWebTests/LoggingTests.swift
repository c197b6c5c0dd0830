import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortalStore
import PortalTestSupport
import Testing

@Suite struct LoggingTests {
    @Test(arguments: TestEngine.available)
    func requestLogsCarryTheRequestIDButNoQueryOrPersonalData(engine: TestEngine) async throws {
        let capture = LogCapture()
        // A personal ID number and a name typed into a search box and the lookup form must never reach the logs.
        let personalID = "001203004567"
        let name = "Nguyễn Văn An"
        try await TestPortal.withClient(engine, logger: capture.logger()) { client in
            try await client.execute(
                uri:
                    "/thu-tuc?q=\(personalID)+\(name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")",
                method: .get
            ) { _ in }
            try await client.execute(uri: "/tra-cuu?code=\(personalID)", method: .get) { _ in }
            try await client.execute(uri: "/api/v1/procedures/\(personalID)", method: .get) { response in
                #expect(response.status == .notFound)
                let requestID = try #require(response.headers[HTTPField.Name("X-Request-Id")!])
                #expect(capture.all.contains { $0.contains("request_id=\(requestID)") && $0.contains("status=404") })
            }
        }
        let lines = capture.all
        #expect(lines.contains { $0.contains("info request ") && $0.contains("route=/thu-tuc") })
        for line in lines {
            #expect(!line.contains(personalID), "\(line)")
            #expect(!line.contains("Nguy"), "\(line)")
        }
    }
}
