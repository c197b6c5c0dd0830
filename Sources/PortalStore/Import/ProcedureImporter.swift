import Foundation
import PortalCore
import SQLKit

/// Imports the national procedure catalogue (`procedures.csv`, and optionally `procedures_detail.jsonl.gz`).
///
/// Rows are all checked before anything is written; the write is one transaction. Re-importing updates rows in
/// place. What the portal adds to a procedure (its home-page group, English name, handling agencies) is kept.
public struct ProcedureImporter: Sendable {
    let database: Database

    /// An importer into the portal database.
    public init(database: Database) {
        self.database = database
    }

    static let requiredColumns = [
        "ma_thu_tuc", "ten_thu_tuc", "bo_nganh", "so_quyet_dinh", "cap_thuc_hien", "linh_vuc", "doi_tuong_thuc_hien",
        "co_quan_co_tham_quyen", "co_quan_thuc_hien", "kenh_nop", "thoi_han", "thoi_han_so", "thoi_han_don_vi",
        "le_phi", "phi_trang_thai", "ma_ket_qua",
    ]

    /// Imports the CSV (and details); throws `ImportRejected` with every bad row unless `options.skipBad`.
    public func importCatalogue(
        csv: Data, csvName: String, details: Data? = nil, detailsName: String = "procedures_detail.jsonl.gz",
        options: ImportOptions = .init()
    ) async throws -> ImportReport {
        var report = ImportReport(what: "procedures")
        var problems: [CSVError] = []
        let reader = try CSVReader(data: csv, fileName: csvName, requiredColumns: Self.requiredColumns)
        var rows: [(line: Int, procedure: Procedure)] = []
        var seen: [String: Int] = [:]
        let ministries = try await ministryCodesByName()
        for result in reader.records() {
            report.read += 1
            switch result {
            case .failure(let error):
                problems.append(error)
            case .success(let record):
                do {
                    let procedure = try Self.procedure(from: record, fileName: csvName, ministries: ministries)
                    if let first = seen[procedure.code] {
                        throw CSVError(
                            fileName: csvName, line: record.line,
                            reason: "ma_thu_tuc \(procedure.code) is repeated (first on line \(first))")
                    }
                    seen[procedure.code] = record.line
                    rows.append((record.line, procedure))
                } catch let error as CSVError {
                    problems.append(error)
                }
            }
        }
        if let details {
            let parsed = try Self.details(from: details, fileName: detailsName)
            problems += parsed.problems
            rows = rows.map { ($0.line, parsed.byCode[$0.procedure.code].map($0.procedure.with) ?? $0.procedure) }
        }
        if !problems.isEmpty && !options.skipBad { throw ImportRejected(problems: problems) }
        report.problems = problems
        report.skipped = report.read - rows.count

        let store = CatalogueStore(database: database)
        let existing = try await store.procedures(codes: rows.map(\.procedure.code))
        let existingByCode = Dictionary(existing.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        let merged = rows.map { row -> Procedure in
            guard let old = existingByCode[row.procedure.code] else { return row.procedure }
            var procedure = row.procedure
            procedure.groupSlug = old.groupSlug
            procedure.nameEnglish = old.nameEnglish
            procedure.popular = old.popular
            procedure.handlingAgencyCodes = old.handlingAgencyCodes
            if procedure.onlineLevel != .none && old.onlineLevel == .full { procedure.onlineLevel = .full }
            // The crawl often gives a bare number without its unit; a curated time with its unit is better.
            if procedure.processingTime.unit == nil && old.processingTime.unit != nil {
                procedure.processingTime = old.processingTime
            }
            return procedure
        }
        report.updated = existingByCode.count
        report.inserted = merged.count - existingByCode.count
        try await store.upsert(procedures: merged, source: "import", progress: options.progress)
        return report
    }

    /// Ministry identifiers by folded name, from the agencies already in the database.
    func ministryCodesByName() async throws -> [String: String] {
        let rows = try await database.sql.raw("SELECT code, name FROM agencies WHERE level = 'central'").all()
        var codes: [String: String] = [:]
        for row in rows {
            codes[VietnameseText.fold(try row.decode(column: "name", as: String.self))] = try row.decode(
                column: "code", as: String.self)
        }
        return codes
    }

    static func procedure(from record: CSVRecord, fileName: String, ministries: [String: String]) throws(CSVError)
        -> Procedure
    {
        func value(_ column: String) -> String { record.trimmed(column) }
        func problem(_ reason: String) -> CSVError { record.problem(reason, in: fileName) }

        let code = value("ma_thu_tuc")
        guard let procedureCode = ProcedureCode(code), procedureCode.agency == nil else {
            throw problem("ma_thu_tuc '\(code.prefix(40))' is not a procedure code like 1.001193")
        }
        let name = value("ten_thu_tuc")
        guard !name.isEmpty else { throw problem("ten_thu_tuc is empty") }
        let field = value("linh_vuc")
        guard !field.isEmpty else { throw problem("linh_vuc is empty") }

        var channels: [SubmissionChannel] = []
        for token in value("kenh_nop").split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            switch token {
            case "Trực tiếp": channels.append(.inPerson)
            case "Trực tuyến": channels.append(.online)
            case "Dịch vụ bưu chính": channels.append(.postal)
            case "": continue
            default: throw problem("kenh_nop has an unknown channel '\(token.prefix(40))'")
            }
        }
        var levels: [AdministrativeLevel] = []
        for token in value("cap_thuc_hien").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            switch token {
            case "Cấp bộ": levels.append(.central)
            case "Cấp tỉnh": levels.append(.province)
            case "Cấp xã": levels.append(.commune)
            case "Cơ quan khác", "": continue
            default: throw problem("cap_thuc_hien has an unknown level '\(token.prefix(40))'")
            }
        }
        let amountText = value("thoi_han_so")
        let unitText = value("thoi_han_don_vi")
        let unit: String?
        switch unitText {
        case "Ngày làm việc": unit = "working_days"
        case "Ngày": unit = "days"
        case "Giờ": unit = "hours"
        case "Tháng": unit = "months"
        case "": unit = nil
        default: throw problem("thoi_han_don_vi '\(unitText.prefix(40))' is not a known unit")
        }
        // A few real rows give a fraction ("1.5") or a thousands-formatted number: kept as text only.
        let amount = Int(amountText)
        let timeText = value("thoi_han")
        let audienceText = VietnameseText.fold(value("doi_tuong_thuc_hien"))
        var audiences: [Audience] = []
        if ["cong dan", "ca nhan", "nguoi "].contains(where: audienceText.contains) { audiences.append(.citizen) }
        if ["doanh nghiep", "to chuc", "hop tac xa"].contains(where: audienceText.contains) {
            audiences.append(.business)
        }
        let online = channels.contains(.online)
        let unknown = "Không có thông tin"
        return Procedure(
            code: code, name: name, field: field, ministryCode: ministries[VietnameseText.fold(value("bo_nganh"))],
            levels: levels, implementingAgency: value("co_quan_thuc_hien").nonEmpty ?? unknown,
            competentAgency: value("co_quan_co_tham_quyen").nonEmpty ?? unknown, audiences: audiences,
            channels: channels,
            // The national data does not say which online services are full-process: an online channel is
            // recorded as partial until an administrator says otherwise.
            onlineLevel: online ? .partial : .none, legacyLevel: online ? 3 : 2,
            processingTime: ProcessingTimeText(
                amount: amount, unit: amount == nil ? nil : unit,
                text: timeText.isEmpty
                    ? unknown
                    : (amount != nil && timeText == amountText && unit != nil
                        ? "\(amountText) \(unitText.lowercased())" : timeText)),
            fee: Fee(
                amount: value("phi_trang_thai") == "mien_phi" ? 0 : nil, text: value("le_phi").nonEmpty ?? unknown),
            result: unknown,
            resultCodes: value("ma_ket_qua").split(whereSeparator: { $0 == ";" || $0 == "," || $0 == " " })
                .map(String.init),
            decision: value("so_quyet_dinh").nonEmpty)
    }

    /// The parts of a procedure that only the details file has.
    struct Details: Sendable {
        var documents: [RequiredDocument]
        var steps: [String]
        var conditions: String?
        var legalBasis: [String]
        var result: String?
    }

    static func details(from data: Data, fileName: String) throws -> (byCode: [String: Details], problems: [CSVError]) {
        let text: Data
        if data.starts(with: [0x1f, 0x8b]) {
            text = try Gzip.decompress(data, fileName: fileName)
        } else {
            text = data
        }
        var byCode: [String: Details] = [:]
        var problems: [CSVError] = []
        var lineNumber = 0
        for line in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { continue }
            guard let row = try? JSONDecoder().decode(DetailRow.self, from: Data(line)) else {
                problems.append(
                    CSVError(fileName: fileName, line: lineNumber, reason: "not a JSON object with ma_thu_tuc"))
                continue
            }
            byCode[row.ma_thu_tuc] = row.details
        }
        return (byCode, problems)
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    private struct DetailRow: Decodable {
        struct Document: Decodable {
            let ten_giay_to: String?
            let so_luong: String?
            let mau_don: String?
            let nhom: String?
        }
        let ma_thu_tuc: String
        let thanh_phan_ho_so: [Document]?
        let trinh_tu_thuc_hien: String?
        let yeu_cau_dieu_kien: String?
        let can_cu_phap_ly: String?
        let ket_qua_xu_ly: String?

        /// The crawl runs the result code into the result's name ("Giấy khai sinhMã: KQ.G15.000031"); the codes
        /// are kept apart in `result_codes`.
        static func withoutResultCode(_ text: String) -> String {
            guard let range = text.range(of: "Mã: KQ.") else { return text }
            return String(text[..<range.lowerBound])
        }

        var details: Details {
            let documents = (thanh_phan_ho_so ?? []).compactMap { document -> RequiredDocument? in
                guard let name = document.ten_giay_to?.trimmed.nonEmpty else { return nil }
                return RequiredDocument(
                    name: String(name.prefix(1000)), quantity: document.so_luong?.trimmed.nonEmpty,
                    template: document.mau_don?.trimmed.nonEmpty, group: document.nhom?.trimmed.nonEmpty)
            }
            let steps = (trinh_tu_thuc_hien ?? "").components(separatedBy: "\n\n").compactMap { $0.trimmed.nonEmpty }
                .prefix(30).map { String($0.prefix(3000)) }
            var legal = (can_cu_phap_ly ?? "").trimmed
            if legal.hasPrefix("Tên văn bản pháp lýMã văn bản") {
                legal.removeFirst("Tên văn bản pháp lýMã văn bản".count)
            }
            return Details(
                documents: documents, steps: Array(steps), conditions: yeu_cau_dieu_kien?.trimmed.nonEmpty,
                legalBasis: legal.nonEmpty.map { [String($0.prefix(5000))] } ?? [],
                result: ket_qua_xu_ly.map(Self.withoutResultCode)?.trimmed.nonEmpty)
        }
    }
}

extension Procedure {
    /// This procedure completed with what the details file says.
    fileprivate func with(_ details: ProcedureImporter.Details) -> Procedure {
        var procedure = self
        procedure.documents = details.documents
        procedure.steps = details.steps
        procedure.conditions = details.conditions
        procedure.legalBasis = details.legalBasis
        if let result = details.result { procedure.result = result }
        return procedure
    }
}

extension String {
    /// The string, or nil when it is empty.
    var nonEmpty: String? { isEmpty ? nil : self }
    /// Without leading and trailing white space.
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
