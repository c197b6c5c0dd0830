import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortalStore
import PortalTestSupport
import PortalWeb
import SQLKit
import Testing

/// Home support over HTTP on each engine: a request made on someone's behalf, refused fields named, a robot's
/// submission dropped, the province's officers' queue, a visit scheduled, and a dossier received on the spot.
@Suite struct HomeSupportTests {
    static let agency = "000.00.61.H29"  // in province 79

    static func outbox(_ database: Database, recipient: String) async throws -> Int {
        try await database.sql.raw("SELECT COUNT(*) AS n FROM outbox WHERE recipient = \(bind: recipient)").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    @Test(arguments: TestEngine.available)
    func aRequestOnSomeonesBehalfEndsInADossierReceivedAtHome(engine: TestEngine) async throws {
        try await TestPortal.withClientAndStorage(engine) { client, url, _ in
            let (cookie, token) = try await AccountFlowTests.anonymousToken(client)
            func send(_ fields: [(String, String)]) async throws -> (HTTPResponse.Status, String, String?) {
                try await client.execute(
                    uri: "/ho-tro-tai-nha", method: .post, headers: AccountFlowTests.form + [.cookie: cookie],
                    body: AccountFlowTests.body(fields + [("csrf_token", token)])
                ) { ($0.status, $0.text, $0.headers[.location]) }
            }
            let good: [(String, String)] = [
                ("requester_name", "Trần Thị Bình"), ("requester_phone", "0908 123 456"),
                ("on_behalf_of", "Trần Văn Cả"), ("province_code", "79"), ("address", "12 Nguyễn Huệ, Phường Sài Gòn"),
                ("procedure_code", "1.001193"), ("reason", "Cha tôi nằm liệt giường, cần làm thủ tục gấp."),
                ("urgency", "urgent"),
            ]
            // Mistakes are named by field and nothing is stored.
            let (bad, page, _) = try await send([
                ("requester_name", "B"), ("requester_phone", "12"), ("province_code", "99"), ("address", "x"),
                ("procedure_code", "9.999999"), ("reason", "gấp"), ("urgency", "ngay"),
            ])
            #expect(bad == .unprocessableContent)
            for field in [
                "requester_name", "requester_phone", "province_code", "address", "procedure_code", "reason", "urgency",
            ] {
                #expect(page.contains("href=\"#\(field)\""), "\(field) not named")
            }
            // A robot fills in the hidden field: it is thanked, nothing is stored.
            let (robot, _, robotLocation) = try await send(good + [("website", "http://spam.example")])
            #expect(robot == .seeOther && robotLocation == "/ho-tro-tai-nha?da-gui=1")
            let database = try await Database.open(url, logger: TestDatabases.quietLogger)
            do {
                #expect(
                    try await database.sql.raw("SELECT COUNT(*) AS n FROM home_support_requests").first()?.decode(
                        column: "n", as: Int.self) == 0)

                let (sent, _, location) = try await send(good)
                #expect(sent == .seeOther)
                let statusURL = try #require(location)
                #expect(statusURL.hasPrefix("/ho-tro-tai-nha/"))
                try await client.execute(uri: statusURL, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.text.contains("Mới") && response.text.contains("12 Nguyễn Huệ"))
                    #expect(response.headers[.cacheControl] == "no-store")
                }
                // The requester is told by text message.
                #expect(try await Self.outbox(database, recipient: "0908123456") == 1)

                // The province's officer sees it; an officer elsewhere does not.
                let staff = AdministratorAccounts(database: database, cost: 4)
                try await staff.createStaff(
                    role: .officer, email: "canbo@saigon.gov.vn", password: "mật khẩu cán bộ", fullName: "Cán Bộ",
                    agencyCode: Self.agency)
                try await staff.createStaff(
                    role: .officer, email: "canbo@hoankiem.gov.vn", password: "mật khẩu cán bộ", fullName: "Cán Bộ",
                    agencyCode: "000.00.61.H24")
                let elsewhere = try await DossierFlowTests.officerSignIn(
                    client, email: "canbo@hoankiem.gov.vn", password: "mật khẩu cán bộ")
                try await client.execute(uri: "/can-bo/ho-tro", method: .get, headers: elsewhere.headers) {
                    #expect(!$0.text.contains("Trần Thị Bình"))
                }
                let officer = try await DossierFlowTests.officerSignIn(
                    client, email: "canbo@saigon.gov.vn", password: "mật khẩu cán bộ")
                let itemURL = try await client.execute(uri: "/can-bo/ho-tro", method: .get, headers: officer.headers) {
                    response in
                    #expect(response.text.contains("Trần Thị Bình") && response.text.contains("Khẩn"))
                    return "/can-bo/ho-tro/"
                        + (try DossierFlowTests.firstMatch(#"href="/can-bo/ho-tro/([0-9]+)""#, in: response.text))
                }
                try await client.execute(uri: itemURL, method: .get, headers: elsewhere.headers) {
                    #expect($0.status == .notFound)
                }
                func act(_ path: String, _ fields: [(String, String)]) async throws -> (HTTPResponse.Status, String) {
                    try await client.execute(
                        uri: itemURL + path, method: .post, headers: officer.formHeaders,
                        body: AccountFlowTests.body(fields + [("csrf_token", officer.token)])
                    ) { ($0.status, $0.text) }
                }
                let (pastDate, pastPage) = try await act(
                    "/lich", [("visit_date", "2020-01-01"), ("visit_window", "08:00–10:00"), ("staff", "Lê Văn Dũng")])
                #expect(pastDate == .unprocessableContent && pastPage.contains("href=\"#visit_date\""))
                let tomorrow = Calendar(identifier: .gregorian).date(byAdding: .day, value: 1, to: Date())!
                let day = VietnamTimeFormat.day(tomorrow)
                let (scheduled, _) = try await act(
                    "/lich", [("visit_date", day), ("visit_window", "08:00–10:00"), ("staff", "Lê Văn Dũng")])
                #expect(scheduled == .seeOther)
                try await client.execute(uri: statusURL, method: .get) { response in
                    #expect(response.text.contains("Đã hẹn lịch") && response.text.contains("08:00–10:00"))
                }
                #expect(try await Self.outbox(database, recipient: "0908123456") == 2)

                let (noProcedure, noProcedurePage) = try await act(
                    "/ket-qua", [("outcome", "Đã nhận hồ sơ"), ("receive", "1"), ("procedure_code", "")])
                #expect(noProcedure == .unprocessableContent && noProcedurePage.contains("href=\"#procedure_code\""))
                let (done, _) = try await act(
                    "/ket-qua",
                    [("outcome", "Đã nhận hồ sơ khai sinh tại nhà"), ("receive", "1"), ("procedure_code", "1.001193")])
                #expect(done == .seeOther)
                // The dossier has its code, was received in person, and is on the public lookup.
                let code = try await client.execute(uri: statusURL, method: .get) { response in
                    #expect(response.text.contains("Đã hỗ trợ"))
                    return try DossierFlowTests.firstMatch(#"code=([0-9A-Z.]+-[0-9]{6}-[0-9]{4})""#, in: response.text)
                }
                #expect(code.hasPrefix("\(Self.agency)-"))
                let row = try #require(
                    try await database.sql.raw("SELECT channel, status FROM dossiers WHERE code = \(bind: code)")
                        .first())
                #expect(try row.decode(column: "channel", as: Int.self) == 1)
                #expect(try row.decode(column: "status", as: Int.self) == 2)
                try await client.execute(uri: "/api/v1/dossiers/\(code)/status", method: .get) {
                    #expect($0.status == .ok && $0.text.contains("\"code\":2"))
                }
                #expect(try await Self.outbox(database, recipient: "0908123456") == 3)
                // A finished request takes no more steps.
                let (again, _) = try await act(
                    "/lich", [("visit_date", day), ("visit_window", "08:00–10:00"), ("staff", "Lê Văn Dũng")])
                #expect(again == .conflict)
            } catch {
                await database.shutdown()
                throw error
            }
            await database.shutdown()
        }
    }
}

/// Local dates as forms send them.
enum VietnamTimeFormat {
    static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}
