import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortalCore
import PortalStore
import PortalTestSupport
import Testing

/// The statistics page and open data over HTTP: contract fields, live counters, the CSV, and bad periods.
@Suite struct StatisticsAPITests {
    static func json(_ client: any TestClientProtocol, _ uri: String) async throws -> (
        HTTPResponse.Status, [String: Any]
    ) {
        try await client.execute(uri: uri, method: .get) { response in
            let object =
                (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any]
            return (response.status, object ?? [:])
        }
    }

    static func refresh(_ url: DatabaseURL) async throws {
        let database = try await Database.open(url, logger: TestDatabases.quietLogger)
        try await StatisticsStore(database: database).refresh()
        await database.shutdown()
    }

    @Test(arguments: TestEngine.available)
    func theSummaryCountsSyncsPageViewsAndAccountsLive(engine: TestEngine) async throws {
        try await TestPortal.withClientAndStorage(engine) { client, url, _ in
            let (status, before) = try await Self.json(client, "/api/v1/stats/summary")
            #expect(status == .ok)
            for key in ["accounts", "hits", "status_syncs", "dossiers_processed", "agencies_syncing"] {
                #expect(before[key] is Int, "\(key) missing")
            }
            let services = try #require(before["services_online"] as? [String: Any])
            #expect(services["full"] is Int && services["partial"] is Int)
            let asOf = try #require(before["as_of"] as? String)
            #expect(VietnamTime.parseISO8601(asOf) != nil)

            // N items applied over HTTP, plus a repeat and a refused one: the counter rises by exactly N.
            let token = try await SyncTests.token(url)
            let items = SyncTests.stream
            let (syncStatus, response, _) = try await SyncTests.post(
                client, token: token,
                items: items + [
                    items[0], SyncTests.item(code: "bad", status: 2, eventID: "z", at: "2025-07-01T08:00:00+07:00"),
                ])
            #expect(syncStatus == .ok)
            #expect(response["rejected"] as? Int == 1 && response["duplicates"] as? Int == 1)
            for _ in 0..<3 {
                try await client.execute(uri: "/thong-ke", method: .get) { #expect($0.status == .ok) }
            }
            let (_, after) = try await Self.json(client, "/api/v1/stats/summary")
            #expect((after["status_syncs"] as? Int)! - (before["status_syncs"] as? Int)! == items.count)
            // Two of the three reported dossiers reached a result.
            #expect((after["dossiers_processed"] as? Int)! - (before["dossiers_processed"] as? Int)! == 2)
            #expect(after["agencies_syncing"] as? Int == 1)
            // Page views are counted in memory and shown before they are written.
            #expect((after["hits"] as? Int)! - (before["hits"] as? Int)! == 3)
        }
    }

    @Test(arguments: TestEngine.available)
    func agencyFiguresAsJSONAndCSVAndOnThePage(engine: TestEngine) async throws {
        try await TestPortal.withClientAndStorage(engine) { client, url, _ in
            let token = try await SyncTests.token(url)
            _ = try await SyncTests.post(client, token: token, items: SyncTests.stream)
            try await Self.refresh(url)
            let (status, json) = try await Self.json(client, "/api/v1/stats/agencies?from=2025-07-01&to=2025-07-31")
            #expect(status == .ok)
            #expect(json["from"] as? String == "2025-07-01" && json["to"] as? String == "2025-07-31")
            #expect(json["as_of"] is String && json["total"] as? Int == 1)
            let agencies = try #require(json["agencies"] as? [[String: Any]])
            let agency = try #require(agencies.first)
            #expect(agency["agency_code"] as? String == SyncTests.agency)
            #expect(agency["rank"] as? Int == 1)
            // Three dossiers received on 1 July: two finished with a result, one stopped.
            #expect(agency["received"] as? Int == 3)
            #expect(agency["closed_without_result"] as? Int == 1)
            let finished = ["finished_early", "finished_on_time", "finished_late"].compactMap { agency[$0] as? Int }
            #expect(finished.reduce(0, +) == 2)
            #expect(agency["supplemented"] as? Int == 1)
            for key in StatisticsControllerColumns.all { #expect(agency.keys.contains(key), "\(key) missing") }

            // Outside the period: nothing.
            let (_, empty) = try await Self.json(client, "/api/v1/stats/agencies?from=2025-08-01&to=2025-08-31")
            #expect((empty["agencies"] as? [Any])?.isEmpty == true && empty["total"] as? Int == 0)

            try await client.execute(uri: "/api/v1/stats/agencies.csv?from=2025-07-01&to=2025-07-31", method: .get) {
                response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                let lines = response.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
                #expect(lines.count == 2)
                #expect(lines.first == StatisticsControllerColumns.all.joined(separator: ","))
                #expect(lines.last?.hasPrefix("1,\(SyncTests.agency),") == true)
                #expect(
                    lines.last?.split(separator: ",", omittingEmptySubsequences: false).count
                        == StatisticsControllerColumns.all.count)
            }

            try await client.execute(uri: "/thong-ke?tu=2025-07-01&den=2025-07-31", method: .get) { response in
                #expect(response.status == .ok)
                let page = response.text
                #expect(page.contains("<h1>Thống kê</h1>"))
                #expect(page.contains("<svg") && page.contains("role=\"img\""))
                #expect(page.contains("<title id=\"chart-received-title\">Hồ sơ tiếp nhận theo tháng</title>"))
                // The table behind the chart of received dossiers: July 2025 received three.
                #expect(page.contains("<tr><td>07/2025</td><td>3</td></tr>"))
                #expect(page.contains("/thong-ke?tu=2025-07-01&amp;den=2025-07-31&amp;co-quan=\(SyncTests.agency)"))
                #expect(!page.contains("001090001234") && !page.contains("Nguyễn Văn An"))
            }
            try await client.execute(
                uri: "/thong-ke?tu=2025-07-01&den=2025-07-31&co-quan=\(SyncTests.agency)&lang=en", method: .get
            ) {
                response in
                #expect(response.status == .ok)
                #expect(response.text.contains("<html lang=\"en\">"))
                #expect(response.text.contains("By procedure"))
                #expect(response.text.contains("href=\"/thu-tuc/1.001193\""))
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func badPeriodsAreRefusedNamingTheField(engine: TestEngine) async throws {
        try await TestPortal.withClient(engine) { client in
            for (query, field) in [
                ("from=2025-13-01", "from"), ("to=yesterday", "to"), ("from=2025-08-01&to=2025-07-01", "from"),
                ("from=1990-01-01&to=2025-01-01", "from"), ("page=0", "page"), ("per_page=5000", "per_page"),
            ] {
                let (status, json) = try await Self.json(client, "/api/v1/stats/agencies?\(query)")
                #expect(status == .badRequest, "\(query)")
                #expect((json["error"] as? [String: Any])?["field"] as? String == field, "\(query)")
            }
            let (status, json) = try await Self.json(client, "/api/v1/stats/procedures?agency=<script>")
            #expect(status == .badRequest && (json["error"] as? [String: Any])?["field"] as? String == "agency")
            try await client.execute(uri: "/api/v1/stats/agencies.csv?to=2025-02-30", method: .get) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(uri: "/thong-ke?tu=31/12/2025", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("class=\"error-summary\""))
                #expect(response.text.contains("<a href=\"#tu\">Ngày phải có dạng năm-tháng-ngày"))
                #expect(response.text.contains("value=\"31/12/2025\""))
            }
        }
    }
}

/// The agency columns of the open-data contract, as the tests expect them.
enum StatisticsControllerColumns {
    static let all = [
        "rank", "agency_code", "agency_name", "received", "online", "online_share", "supplemented", "supplement_rate",
        "finished_early", "finished_on_time", "finished_late", "on_time_rate", "closed_without_result",
        "open_within_deadline", "open_past_deadline", "average_working_days", "ratings", "average_rating",
    ]
}
