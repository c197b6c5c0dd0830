import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortalTestSupport
import Testing

/// An existing one-stop system's national-portal connector, pointed at OpenDVC: the values as such connectors send
/// them (all strings, absent as "" or null, dates as yyyyMMddHHmmss), each call sent twice.
@Suite struct LegacySyncTests {
    static func post(_ client: any TestClientProtocol, _ path: String, _ body: Any, headers: HTTPFields = [:])
        async throws -> [String: Any]
    {
        let data = try JSONSerialization.data(withJSONObject: body)
        return try await client.execute(
            uri: path, method: .post, headers: headers + [.contentType: "application/json"],
            body: ByteBuffer(bytes: data)
        ) { response in
            #expect(response.status == .ok, "connectors expect HTTP 200 with an error_code")
            return try #require(
                try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
        }
    }

    static let code = "000.00.61.H29-250701-0042"
    static var dossier: [String: Any] {
        [
            "MaHoSo": code, "MaTTHC": "1.001193", "TenTTHC": "Đăng ký khai sinh", "MaLinhVuc": "G15-HT01",
            "TenLinhVuc": "Hộ tịch", "ChuHoSo": "Nguyễn Văn An", "LoaiDoiTuong": "1", "MaDoiTuong": "001090001234",
            "Email": "", "Fax": NSNull(), "SoDienThoai": "0912345678", "TrichYeuHoSo": "Đăng ký khai sinh cho con",
            "NgayTiepNhan": "20250701080000", "NgayHenTra": "20250702170000", "TrangThaiHoSo": "2", "NgayTra": "",
            "HinhThuc": "0", "DonViXuLy": "UBND xã", "TruongKhongBiet": "bỏ qua",
            "TaiLieuNop": [
                ["TepDinhKemId": "123", "TenTepDinhKem": "to-khai.pdf", "DuongDanTaiTepTin": "https://x/1?t=9"]
            ],
        ]
    }

    @Test(arguments: TestEngine.available)
    func aLegacyConnectorLogsInSendsTheDossierTwiceAndItsProgress(engine: TestEngine) async throws {
        try await TestPortal.withClientAndStorage(engine) { client, url, _ in
            let token = try await SyncTests.token(url, name: "motcua-hanoi")
            let wrong = try await Self.post(
                client, "/api/v1/sync/dvcqg/login", ["username": "motcua-hanoi", "password": "sai"])
            #expect((wrong["error_code"] as? Int ?? 0) != 0 && wrong["session"] == nil)
            let login = try await Self.post(
                client, "/api/v1/sync/dvcqg/login", ["username": "motcua-hanoi", "password": token])
            #expect(login["error_code"] as? Int == 0)
            #expect(login["message"] as? String == "Thành công")
            let session = try #require(login["session"] as? String)

            func call(_ service: String, updating: String, data: [[String: Any]]) async throws -> [String: Any] {
                try await Self.post(
                    client, "/api/v1/sync/dvcqg",
                    [
                        "session": session, "madonvi": SyncTests.agency, "service": service, "isUpdating": updating,
                        "data": data,
                    ],
                    headers: [HTTPField.Name("dstcode")!: "000.00.00.G22"])
            }
            for updating in ["False", "True"] {
                let answer = try await call("DongBoHoSoMC", updating: updating, data: [Self.dossier])
                #expect(answer["error_code"] as? Int == 0)
                #expect((answer["message"] as? String)?.contains("thành công") == true)
            }
            let steps: [[String: Any]] = [
                [
                    "MaHoSo": Self.code, "NguoiXuLy": "Trần Thị Bình", "ChucDanh": "Công chức tư pháp",
                    "ThoiDiemXuLy": "20250701093000", "PhongBanXuLy": "", "NoiDungXuLy": "Chuyển xử lý",
                    "TrangThai": "4",
                    "NgayBatDau": "20250701093000", "NgayKetThucTheoQuyDinh": "20250702170000",
                ],
                [
                    "MaHoSo": Self.code, "NguoiXuLy": "Trần Thị Bình", "ThoiDiemXuLy": "20250702100000",
                    "NoiDungXuLy": "Đã ký", "TrangThai": "9", "NgayKetThucTheoQuyDinh": NSNull(),
                ],
            ]
            for _ in 0..<2 {
                let answer = try await call("CapNhatTienDoHoSoMC", updating: "True", data: steps)
                #expect(answer["error_code"] as? Int == 0)
            }
            // Progress for a dossier never sent is refused for that item, with a reason.
            var unknown = steps[0]
            unknown["MaHoSo"] = "000.00.61.H29-250701-0999"
            let refused = try await call("CapNhatTienDoHoSoMC", updating: "True", data: [unknown])
            #expect((refused["error_code"] as? Int ?? 0) != 0)
            #expect(
                ((refused["results"] as? [[String: Any]])?.first?["error"] as? [String: Any])?["field"] as? String
                    == "MaHoSo")

            // Look-ups through the same connector; a Bearer header may carry the session.
            let found = try await Self.post(
                client, "/api/v1/sync/dvcqg", ["service": "TraCuuHoSo", "mahoso": Self.code],
                headers: [.authorization: "Bearer \(session)"])
            #expect((found["result"] as? [String: Any])?["TrangThaiHoSo"] as? String == "9")
            let procedure = try await Self.post(
                client, "/api/v1/sync/dvcqg", ["session": session, "service": "LayThuTuc", "maTTHC": "1.001193"])
            let first = try #require((procedure["result"] as? [[String: Any]])?.first)
            #expect(first["TENTTHC"] as? String == "Đăng ký khai sinh")
            #expect(((first["LINHVUCTHUCHIEN"] as? [[String: Any]])?.first?["TENLINHVUC"] as? String) == "Hộ tịch")
            let missing = try await Self.post(
                client, "/api/v1/sync/dvcqg", ["session": session, "service": "LayThuTuc", "maTTHC": "9.999999"])
            #expect((missing["error_code"] as? Int ?? 0) != 0 && missing["result"] == nil)
            let expired = try await Self.post(
                client, "/api/v1/sync/dvcqg", ["session": String(repeating: "b", count: 64), "service": "LayThuTuc"])
            #expect((expired["error_code"] as? Int ?? 0) != 0)

            // A bare array (no envelope) is a dossier sync too.
            var another = Self.dossier
            another["MaHoSo"] = "000.00.61.H29-250701-0043"
            let bare = try await Self.post(
                client, "/api/v1/sync/dvcqg", [another], headers: [.authorization: "Bearer \(session)"])
            #expect(bare["error_code"] as? Int == 0)

            // The public lookup shows what the connector sent, without the names.
            try await client.execute(uri: "/api/v1/dossiers/\(Self.code)/status", method: .get) { response in
                #expect(response.status == .ok)
                #expect(!response.text.contains("Nguyễn") && !response.text.contains("Trần"))
                let json = try #require(
                    try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
                #expect((json["timeline"] as? [[String: Any]])?.compactMap { $0["status"] as? Int } == [2, 4, 9])
                #expect((json["received_at"] as? String)?.hasPrefix("2025-07-01T08:00:00") == true)
            }
        }
    }
}
