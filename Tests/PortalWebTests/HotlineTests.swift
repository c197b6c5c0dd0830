import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortalStore
import PortalTestSupport
import PortalWeb
import Testing

/// The hotline directory over HTTP: the portal's own line on a fresh portal, administrators' edits with errors
/// named by field, the public page and JSON by locality, and the lines on the pages of the agency's procedures.
@Suite struct HotlineTests {
    static func json(_ client: any TestClientProtocol, _ uri: String) async throws -> (
        HTTPResponse.Status, [String: Any]
    ) {
        try await client.execute(uri: uri, method: .get) { response in
            let object =
                (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any]
            return (response.status, object ?? [:])
        }
    }

    @Test(arguments: TestEngine.available)
    func administratorsKeepTheDirectoryAndEveryoneFindsItByLocality(engine: TestEngine) async throws {
        try await TestPortal.withClientAndStorage(engine) { client, url, _ in
            // A fresh portal lists its own support line, the number in every page's footer.
            let (status, fresh) = try await Self.json(client, "/api/v1/hotlines")
            #expect(status == .ok && fresh["total"] as? Int == 1)
            let national = try #require((fresh["items"] as? [[String: Any]])?.first)
            #expect(national["phones"] as? [String] == ["1800 1096"])
            #expect(national["province"] is NSNull && national["agency"] is NSNull)

            let database = try await Database.open(url, logger: TestDatabases.quietLogger)
            try await AdministratorAccounts(database: database, cost: 4).create(
                email: "admin@example.gov.vn", password: AdminFlowTests.password, fullName: "Quản Trị")
            await database.shutdown()
            let admin = try await DossierFlowTests.officerSignIn(
                client, email: "admin@example.gov.vn", password: AdminFlowTests.password, probe: "/quan-tri")
            func post(_ path: String, _ fields: [(String, String)]) async throws -> (
                HTTPResponse.Status, String, String?
            ) {
                try await client.execute(
                    uri: path, method: .post, headers: admin.formHeaders,
                    body: AccountFlowTests.body(fields + [("csrf_token", admin.token)])
                ) { ($0.status, $0.text, $0.headers[.location]) }
            }
            // Mistakes are named by field, and nothing is saved.
            let (badStatus, badPage, _) = try await post(
                "/quan-tri/duong-day-nong",
                [
                    ("name", "Bộ phận một cửa"), ("phones", "gọi ngay"), ("hours", "7:30–17:00"),
                    ("email", "khong-phai-thu"), ("province_code", "99"), ("agency_code", "000.00.99.Z99"),
                ])
            #expect(badStatus == .unprocessableContent)
            for field in ["phones", "email", "province_code", "agency_code"] {
                #expect(badPage.contains("href=\"#\(field)\""), "\(field) not named")
            }
            #expect(try await Self.json(client, "/api/v1/hotlines").1["total"] as? Int == 1)

            let (saved, _, location) = try await post(
                "/quan-tri/duong-day-nong",
                [
                    ("name", "Bộ phận một cửa Phường Sài Gòn"), ("phones", "028 3829 0000, 1022"),
                    ("hours", "7:30–17:00, thứ Hai đến thứ Sáu"), ("email", "motcua@phuongsaigon.example.vn"),
                    ("address", "45 Lê Duẩn"), ("agency_code", "000.00.61.H29"), ("province_code", "79"),
                ])
            #expect(saved == .seeOther && location == "/quan-tri/duong-day-nong?xong=saved")
            _ = try await post(
                "/quan-tri/duong-day-nong",
                [
                    ("name", "Tổng đài Thành phố Hà Nội"), ("phones", "1022"), ("hours", "24/7"),
                    ("province_code", "01"),
                ])

            // By locality: the portal's line first, then the province's; another province's is left out.
            let (_, saigon) = try await Self.json(client, "/api/v1/hotlines?province=79")
            let names = (saigon["items"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(names == ["Tổng đài hỗ trợ Cổng Dịch vụ công", "Bộ phận một cửa Phường Sài Gòn"])
            let (_, byAgency) = try await Self.json(client, "/api/v1/hotlines?agency=000.00.61.H29")
            let line = try #require((byAgency["items"] as? [[String: Any]])?.first)
            #expect(line["phones"] as? [String] == ["028 3829 0000", "1022"])
            #expect((line["agency"] as? [String: Any])?["code"] as? String == "000.00.61.H29")
            #expect((line["province"] as? [String: Any])?["code"] as? String == "79")
            for (query, field) in [("province=ha-noi", "province"), ("agency=x", "agency"), ("per_page=0", "per_page")]
            {
                let (status, error) = try await Self.json(client, "/api/v1/hotlines?\(query)")
                #expect(status == .badRequest && (error["error"] as? [String: Any])?["field"] as? String == field)
            }
            try await client.execute(uri: "/duong-day-nong?tinh=79", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("href=\"tel:02838290000\""))
                #expect(!response.text.contains("Tổng đài Thành phố Hà Nội"))
                #expect(response.text.contains("<option value=\"79\" selected>"))
            }
            // The agency's line is on the pages of the procedures it handles.
            try await client.execute(uri: "/thu-tuc/1.001193", method: .get) { response in
                #expect(response.text.contains("Bộ phận một cửa Phường Sài Gòn"))
                #expect(response.text.contains("href=\"tel:1022\""))
            }

            // Edit and delete.
            let id = try #require(line["id"] as? Int)
            try await client.execute(uri: "/quan-tri/duong-day-nong?sua=\(id)", method: .get, headers: admin.headers) {
                #expect($0.text.contains("value=\"45 Lê Duẩn\""))
            }
            _ = try await post(
                "/quan-tri/duong-day-nong",
                [
                    ("id", String(id)), ("name", "Bộ phận một cửa Phường Sài Gòn"), ("phones", "1022"),
                    ("hours", "7:30–17:00"), ("agency_code", "000.00.61.H29"), ("province_code", "79"),
                ])
            #expect(
                ((try await Self.json(client, "/api/v1/hotlines?agency=000.00.61.H29").1["items"] as? [[String: Any]])?
                    .first?["phones"] as? [String]) == ["1022"])
            let (deleted, _, _) = try await post("/quan-tri/duong-day-nong/\(id)/xoa", [])
            #expect(deleted == .seeOther)
            #expect(try await Self.json(client, "/api/v1/hotlines?agency=000.00.61.H29").1["total"] as? Int == 0)

            // Only administrators edit.
            let citizen = try await DossierFlowTests.register(client, fields: AccountFlowTests.citizen)
            try await client.execute(
                uri: "/quan-tri/duong-day-nong", method: .post, headers: citizen.formHeaders,
                body: AccountFlowTests.body([
                    ("name", "x"), ("phones", "1022"), ("hours", "x"), ("csrf_token", citizen.token),
                ])
            ) { #expect($0.status == .notFound) }
        }
    }
}
