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
