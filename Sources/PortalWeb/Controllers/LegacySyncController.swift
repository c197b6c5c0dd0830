import Foundation
import Logging
import PortalCore
import PortalStore

/// The national-portal connector that existing one-stop systems already have, pointed at OpenDVC unchanged:
/// a login with the client's name and token, then envelopes routed on `service` (`DongBoHoSoMC`,
/// `CapNhatTienDoHoSoMC`, `TraCuuHoSo`, `LayThuTuc`). Values arrive as strings, absent ones as `""`, `null` or not
/// at all; dates as `yyyyMMddHHmmss` in Vietnam time. Every answer is HTTP 200 with a numeric `error_code`, as
/// these connectors expect; dossiers go through the same ingestion path as the JSON sync.
struct LegacySyncController: Sendable {
    let clients: AgencyClients
    let sync: DossierSync
    let dossiers: DossierStore
    let catalogue: CatalogueStore
    let logger: Logger
    static let maximumBodyBytes = 8 * 1024 * 1024

    /// One answer of the connector: `error_code`, `message` and, by service, `session`, `result` or `results`.
    typealias Answer = [String: Any]

    static func failure(_ code: Int, _ message: String) -> Answer {
        ["error_code": code, "message": message]
    }

    /// The answer to a body that is not JSON (or too large to read).
    static var unreadable: Answer { failure(400, "Dữ liệu không đúng định dạng JSON") }

    /// `legacyLogin`: the client's name and token open a session.
    func login(body: Any?) async throws -> Answer {
        guard let object = body as? [String: Any] else {
            return Self.failure(400, "Dữ liệu không đúng định dạng JSON {\"username\",\"password\"}")
        }
        let name = LegacyValues.string(object["username"]) ?? ""
        let token = LegacyValues.string(object["password"]) ?? ""
        guard let session = try await clients.openLegacySession(name: name, token: token) else {
            return Self.failure(1, "Sai tên đăng nhập hoặc mật khẩu")
        }
        return ["error_code": 0, "message": "Thành công", "session": session]
    }

    /// `legacyCall`: an envelope (or a bare array) routed on `service`, with the session in the body or as a bearer
    /// token.
    func call(body: Any?, authorization: String?) async throws -> Answer {
        let envelope = body as? [String: Any]
        var session = LegacyValues.string(envelope?["session"]) ?? ""
        if session.isEmpty, let header = authorization, header.lowercased().hasPrefix("bearer ") {
            session = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        }
        guard let client = try await clients.client(legacySession: session) else {
            return Self.failure(401, "Phiên làm việc không hợp lệ hoặc đã hết hạn; đăng nhập lại")
        }
        // Some senders post a bare array of dossiers with no envelope.
        let service = LegacyValues.string(envelope?["service"]) ?? (body is [Any] ? "DongBoHoSoMC" : "")
        let data = (envelope?["data"] as? [Any]) ?? (body as? [Any]) ?? []
        switch service {
        case "DongBoHoSoMC", "CapNhatTienDoHoSoMC":
            return try await ingest(data, progress: service == "CapNhatTienDoHoSoMC", client: client)
        case "TraCuuHoSo":
            let code = LegacyValues.string(envelope?["mahoso"]) ?? LegacyValues.string(envelope?["MaHoSo"]) ?? ""
            guard let dossier = try await dossiers.dossier(code: code), dossier.agencyCode == client.agencyCode,
                let status = dossier.status
            else { return Self.failure(1, "Không tìm thấy hồ sơ") }
            return [
                "error_code": 0, "message": "Thành công",
                "result": [
                    "MaHoSo": code, "MaTTHC": dossier.procedureCode, "TenTTHC": dossier.procedureName,
                    "TrangThaiHoSo": String(status.rawValue),
                    "NgayTiepNhan": dossier.receivedAt.map(LegacyValues.format) ?? "",
                    "NgayHenTra": dossier.dueAt.map(LegacyValues.format) ?? "",
                ],
            ]
        case "LayThuTuc":
            let code = LegacyValues.string(envelope?["maTTHC"]) ?? ""
            guard let procedure = try await catalogue.procedure(code: code) else {
                return Self.failure(1, "Không tìm thấy thủ tục")
            }
            return [
                "error_code": 0, "message": "Thành công",
                "result": [
                    [
                        "MATTHC": procedure.code, "TENTTHC": procedure.name,
                        "LINHVUCTHUCHIEN": [
                            ["MALINHVUC": LegacyValues.fieldCode(procedure.field), "TENLINHVUC": procedure.field]
                        ],
                    ]
                ],
            ]
        default:
            return Self.failure(400, "Dịch vụ không được hỗ trợ: \(service.prefix(50))")
        }
    }

    /// Turns the connector's records into sync items and runs them through the ingestion path.
    func ingest(_ data: [Any], progress: Bool, client: AgencyClients.Client) async throws -> Answer {
        var items: [(index: Int, item: SyncItem)] = []
        var results: [Int: [String: Any]] = [:]
        for (index, raw) in data.enumerated() {
            let record = raw as? [String: Any] ?? [:]
            let parsed = progress ? LegacyValues.progressItem(record) : LegacyValues.dossierItem(record)
            switch parsed {
            case .success(var item):
                item.agency = client.agencyCode
                items.append((index, item))
            case .failure(let problem):
                results[index] = [
                    "MaHoSo": LegacyValues.string(record["MaHoSo"]) ?? "", "outcome": "rejected",
                    "error": ["field": problem.field, "message": problem.message],
                ]
            }
        }
        for result in try await sync.ingest(items, agencyCode: client.agencyCode) {
            var entry: [String: Any] = ["MaHoSo": result.dossierCode, "outcome": result.outcome.rawValue]
            if let field = result.field {
                entry["error"] = ["field": LegacyValues.legacyField(field), "message": result.message ?? ""]
            }
            results[result.index] = entry
        }
        let ordered = results.keys.sorted().compactMap { results[$0] }
        let done = ordered.filter { ($0["outcome"] as? String) != "rejected" }.count
        guard done > 0 || ordered.isEmpty else {
            return [
                "error_code": 1, "message": "Không đồng bộ được hồ sơ nào; xem lý do từng mục", "results": ordered,
            ]
        }
        return ["error_code": 0, "message": "Đồng bộ thành công", "results": ordered]
    }
}

/// How the legacy connectors write values, and how they map onto the sync contract.
enum LegacyValues {
    struct Problem: Error {
        let field: String
        let message: String
    }

    /// A value as text: strings as sent, numbers and booleans spelled out; `""` and `null` are absent.
    static func string(_ value: Any?) -> String? {
        switch value {
        case let text as String:
            let trimmed = text.withoutSurroundingSpace
            return trimmed.isEmpty ? nil : trimmed
        case let number as Int: return String(number)
        case let flag as Bool: return flag ? "True" : "False"
        case let number as Double: return String(number)
        default: return nil
        }
    }

    /// `yyyyMMddHHmmss` in Vietnam time.
    static func date(_ value: Any?) -> Date? {
        guard let text = string(value), text.count == 14, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber)
        else { return nil }
        let digits = Array(text)
        func number(_ range: Range<Int>) -> Int { Int(String(digits[range])) ?? -1 }
        guard let day = LocalDate(year: number(0..<4), month: number(4..<6), day: number(6..<8)),
            (0...23).contains(number(8..<10)), (0...59).contains(number(10..<12)), (0...59).contains(number(12..<14))
        else { return nil }
        return VietnamTime.instant(on: day, hour: number(8..<10), minute: number(10..<12), second: number(12..<14))
    }

    static func format(_ date: Date) -> String {
        let calendar: Calendar = {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? .current
            return calendar
        }()
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02d%02d%02d%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0, parts.second ?? 0)
    }

    /// A stable code for a field of law, from its name (the catalogue has names only).
    static func fieldCode(_ name: String) -> String {
        VietnameseText.fold(name).uppercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .joined(separator: "-")
    }

    /// The legacy name of a sync field, for error messages.
    static func legacyField(_ field: String) -> String {
        switch field {
        case "dossier_code": "MaHoSo"
        case "procedure_code": "MaTTHC"
        case "status": "TrangThaiHoSo"
        case "agency": "madonvi"
        default: field
        }
    }

    /// A whole dossier (`DongBoHoSoMC`): its current status is the event; re-sending it is a repeat.
    static func dossierItem(_ record: [String: Any]) -> Result<SyncItem, Problem> {
        guard let code = string(record["MaHoSo"]), (try? DossierCode(validating: code)) != nil else {
            return .failure(Problem(field: "MaHoSo", message: "phải có dạng <mã cơ quan>-YYMMDD-NNNN"))
        }
        guard let procedure = string(record["MaTTHC"]) else {
            return .failure(Problem(field: "MaTTHC", message: "bắt buộc"))
        }
        guard let statusText = string(record["TrangThaiHoSo"]), let number = Int(statusText),
            let status = DossierStatus(rawValue: number)
        else { return .failure(Problem(field: "TrangThaiHoSo", message: "phải là số từ 1 đến 10")) }
        let received = date(record["NgayTiepNhan"])
        if string(record["NgayTiepNhan"]) != nil && received == nil {
            return .failure(Problem(field: "NgayTiepNhan", message: "phải có dạng yyyyMMddHHmmss"))
        }
        // The moment of the status, from the dates the record carries; otherwise the time it arrived.
        let at: Date
        switch status {
        case .processed: at = date(record["NgayKetThucXuLy"]) ?? Date()
        case .resultReturned: at = date(record["NgayTra"]) ?? date(record["NgayKetThucXuLy"]) ?? Date()
        case .submitted, .received: at = received ?? Date()
        default: at = Date()
        }
        let type = string(record["LoaiDoiTuong"]) == "2" ? 2 : 1
        return .success(
            SyncItem(
                dossierCode: code, procedureCode: String(procedure.prefix(60)), agency: "", applicantType: type,
                applicantID: String((string(record["MaDoiTuong"]) ?? "").prefix(20)),
                applicantName: String((string(record["ChuHoSo"]) ?? "").prefix(200)), channel: 1,
                receivedAt: received, dueAt: date(record["NgayHenTra"]), status: status,
                eventID: "DongBoHoSoMC:\(code):\(status.rawValue)", eventAt: at,
                note: string(record["TrichYeuHoSo"]).map { String($0.prefix(2000)) }))
    }

    /// A progress step (`CapNhatTienDoHoSoMC`) of a dossier sent before.
    static func progressItem(_ record: [String: Any]) -> Result<SyncItem, Problem> {
        guard let code = string(record["MaHoSo"]), (try? DossierCode(validating: code)) != nil else {
            return .failure(Problem(field: "MaHoSo", message: "phải có dạng <mã cơ quan>-YYMMDD-NNNN"))
        }
        guard let at = date(record["ThoiDiemXuLy"]) else {
            return .failure(Problem(field: "ThoiDiemXuLy", message: "phải có dạng yyyyMMddHHmmss"))
        }
        guard let statusText = string(record["TrangThai"]), let number = Int(statusText),
            let status = DossierStatus(rawValue: number)
        else { return .failure(Problem(field: "TrangThai", message: "phải là số từ 1 đến 10")) }
        var item = SyncItem(
            dossierCode: code, procedureCode: "", agency: "", applicantType: 1, applicantID: "", applicantName: "",
            channel: 1, receivedAt: nil, dueAt: date(record["NgayKetThucTheoQuyDinh"]), status: status,
            eventID: "CapNhatTienDoHoSoMC:\(code):\(format(at)):\(status.rawValue)", eventAt: at,
            note: string(record["NoiDungXuLy"]).map { String($0.prefix(2000)) })
        item.progressOnly = true
        return .success(item)
    }
}
