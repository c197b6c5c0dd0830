import Foundation

/// The form of a procedure: its own fields and its upload slots, as data so that an administrator can change them
/// without a release. Every procedure has a sensible default built from its catalogue record.
public struct DossierFormSchema: Sendable, Hashable, Codable {
    public var fields: [Field]
    public var slots: [Slot]

    /// Creates a schema.
    public init(fields: [Field], slots: [Slot]) {
        self.fields = fields
        self.slots = slots
    }

    /// A field the applicant fills in.
    public struct Field: Sendable, Hashable, Codable {
        /// The form name (ASCII, snake_case).
        public var name: String
        public var labelVi: String
        public var labelEn: String
        public var kind: Kind
        public var required: Bool
        public var maxLength: Int

        /// Creates a field.
        public init(name: String, labelVi: String, labelEn: String, kind: Kind, required: Bool, maxLength: Int) {
            self.name = name
            self.labelVi = labelVi
            self.labelEn = labelEn
            self.kind = kind
            self.required = required
            self.maxLength = maxLength
        }

        /// How the field is entered.
        public enum Kind: String, Sendable, Hashable, Codable {
            case text
            case textarea
            case date
        }
    }

    /// An upload slot: one of the documents the procedure asks for.
    public struct Slot: Sendable, Hashable, Codable {
        public var index: Int
        public var name: String
        public var quantity: String?
        public var required: Bool
        /// The maximum number of files in this slot.
        public var maximumFiles: Int

        /// Creates a slot.
        public init(index: Int, name: String, quantity: String?, required: Bool, maximumFiles: Int = 5) {
            self.index = index
            self.name = name
            self.quantity = quantity
            self.required = required
            self.maximumFiles = maximumFiles
        }
    }

    /// The default form of a procedure: a free-text request and one slot per required document.
    ///
    /// The first document (usually the declaration, tờ khai) is required; the others often apply only to some
    /// cases (the catalogue text says which), so they are optional and the officer asks for what is missing.
    /// Documents to be shown in the original at the desk (“xuất trình”) get no slot.
    public static func standard(for procedure: Procedure) -> DossierFormSchema {
        var slots: [Slot] = []
        for (index, document) in procedure.documents.enumerated() {
            let quantity = document.quantity ?? ""
            if VietnameseText.fold(quantity).hasPrefix("xuat trinh") { continue }
            slots.append(Slot(index: index, name: document.name, quantity: document.quantity, required: slots.isEmpty))
        }
        return DossierFormSchema(
            fields: [
                Field(
                    name: "request_details", labelVi: "Nội dung đề nghị", labelEn: "What you are asking for",
                    kind: .textarea, required: true, maxLength: 2000),
                Field(
                    name: "contact_address", labelVi: "Địa chỉ nhận thông báo", labelEn: "Address for notices",
                    kind: .text, required: false, maxLength: 300),
            ],
            slots: slots)
    }

    /// The problems of submitted values, by field name; empty when the values are acceptable.
    public func problems(in values: [String: String]) -> [String: DossierFormProblem] {
        var problems: [String: DossierFormProblem] = [:]
        for field in fields {
            let value = (values[field.name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if value.isEmpty {
                if field.required { problems[field.name] = .required(labelVi: field.labelVi, labelEn: field.labelEn) }
                continue
            }
            if value.count > field.maxLength {
                problems[field.name] = .tooLong(
                    labelVi: field.labelVi, labelEn: field.labelEn, maximum: field.maxLength)
            } else if field.kind == .date && LocalDate(value) == nil {
                problems[field.name] = .invalidDate(labelVi: field.labelVi, labelEn: field.labelEn)
            } else if value.unicodeScalars.contains(where: {
                $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\r" && $0 != "\t"
            }) {
                problems[field.name] = .invalidCharacters(labelVi: field.labelVi, labelEn: field.labelEn)
            }
        }
        return problems
    }

    /// Only the values of known fields, trimmed; unknown names are dropped.
    public func accepted(_ values: [String: String]) -> [String: String] {
        var result: [String: String] = [:]
        for field in fields {
            if let value = values[field.name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty {
                result[field.name] = value
            }
        }
        return result
    }
}

/// A problem with one form field, shown next to it.
public enum DossierFormProblem: BilingualError, Hashable {
    case required(labelVi: String, labelEn: String)
    case tooLong(labelVi: String, labelEn: String, maximum: Int)
    case invalidDate(labelVi: String, labelEn: String)
    case invalidCharacters(labelVi: String, labelEn: String)

    public var messageVi: String {
        switch self {
        case .required(let label, _): "Vui lòng nhập “\(label)”."
        case .tooLong(let label, _, let maximum): "“\(label)” dài quá \(maximum) ký tự."
        case .invalidDate(let label, _): "“\(label)” phải là một ngày có thật, dạng NNNN-TT-NN."
        case .invalidCharacters(let label, _): "“\(label)” có ký tự không hợp lệ."
        }
    }

    public var messageEn: String {
        switch self {
        case .required(_, let label): "Enter “\(label)”."
        case .tooLong(_, let label, let maximum): "“\(label)” must be at most \(maximum) characters."
        case .invalidDate(_, let label): "“\(label)” must be a real date, as YYYY-MM-DD."
        case .invalidCharacters(_, let label): "“\(label)” contains characters that are not allowed."
        }
    }
}

extension DossierFormSchema {
    /// What is wrong with a schema an administrator wrote, for a procedure with `documentCount` documents; empty
    /// when it can be used.
    public func problems(documentCount: Int) -> [DossierFormSchemaProblem] {
        var problems: [DossierFormSchemaProblem] = []
        var names: Set<String> = []
        for field in fields {
            let valid =
                field.name.count <= 40 && field.name.first.map { $0.isASCII && $0.isLowercase } == true
                && field.name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
            if !valid { problems.append(.fieldName(field.name)) }
            if !names.insert(field.name).inserted { problems.append(.duplicateField(field.name)) }
            if field.labelVi.allSatisfy(\.isWhitespace) || field.labelEn.allSatisfy(\.isWhitespace) {
                problems.append(.missingLabel(field.name))
            }
            if !(1...10_000).contains(field.maxLength) { problems.append(.maxLength(field.name)) }
        }
        var indexes: Set<Int> = []
        for slot in slots {
            if !(0..<documentCount).contains(slot.index) { problems.append(.slotIndex(slot.index)) }
            if !indexes.insert(slot.index).inserted { problems.append(.duplicateSlot(slot.index)) }
            if slot.name.allSatisfy(\.isWhitespace) { problems.append(.missingSlotName(slot.index)) }
            if !(1...20).contains(slot.maximumFiles) { problems.append(.maximumFiles(slot.index)) }
        }
        return problems
    }
}

/// A mistake in a form schema written by an administrator.
public enum DossierFormSchemaProblem: BilingualError, Hashable {
    case fieldName(String)
    case duplicateField(String)
    case missingLabel(String)
    case maxLength(String)
    case slotIndex(Int)
    case duplicateSlot(Int)
    case missingSlotName(Int)
    case maximumFiles(Int)

    public var messageVi: String {
        switch self {
        case .fieldName(let name):
            "Tên trường “\(name)” chỉ gồm chữ thường không dấu, chữ số, dấu _ và bắt đầu bằng chữ."
        case .duplicateField(let name): "Trường “\(name)” bị lặp."
        case .missingLabel(let name): "Trường “\(name)” cần nhãn tiếng Việt và tiếng Anh."
        case .maxLength(let name): "Độ dài tối đa của “\(name)” phải từ 1 đến 10.000."
        case .slotIndex(let index): "Ô tải lên \(index) không ứng với giấy tờ nào của thủ tục."
        case .duplicateSlot(let index): "Ô tải lên \(index) bị lặp."
        case .missingSlotName(let index): "Ô tải lên \(index) cần tên."
        case .maximumFiles(let index): "Số tệp tối đa của ô \(index) phải từ 1 đến 20."
        }
    }

    public var messageEn: String {
        switch self {
        case .fieldName(let name):
            "Field name “\(name)” may hold only lower-case ASCII letters, digits and _, starting with a letter."
        case .duplicateField(let name): "Field “\(name)” appears twice."
        case .missingLabel(let name): "Field “\(name)” needs a Vietnamese and an English label."
        case .maxLength(let name): "The maximum length of “\(name)” must be from 1 to 10,000."
        case .slotIndex(let index): "Upload slot \(index) matches none of the procedure's documents."
        case .duplicateSlot(let index): "Upload slot \(index) appears twice."
        case .missingSlotName(let index): "Upload slot \(index) needs a name."
        case .maximumFiles(let index): "The file limit of slot \(index) must be from 1 to 20."
        }
    }
}
