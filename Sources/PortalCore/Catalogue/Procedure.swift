/// An administrative procedure (thủ tục hành chính) as the catalogue publishes it.
public struct Procedure: Sendable, Hashable, Codable {
    /// National code, e.g. `1.001193`.
    public var code: String
    public var name: String
    public var nameEnglish: String?
    public var groupSlug: String?
    /// Field (lĩnh vực), e.g. `Hộ tịch`.
    public var field: String
    /// Identifier of the managing ministry, e.g. `000.00.00.G11`.
    public var ministryCode: String?
    public var levels: [AdministrativeLevel]
    public var implementingAgency: String
    public var competentAgency: String
    public var handlingAgencyCodes: [String]
    public var audiences: [Audience]
    public var channels: [SubmissionChannel]
    public var onlineLevel: OnlineLevel
    /// The level of the 1–4 scale used before Decree 42/2022, kept for old reports.
    public var legacyLevel: Int?
    public var processingTime: ProcessingTimeText
    public var fee: Fee
    public var documents: [RequiredDocument]
    public var steps: [String]
    public var conditions: String?
    public var legalBasis: [String]
    public var result: String
    public var resultCodes: [String]
    public var decision: String?
    /// Shown on the home page among the most used procedures.
    public var popular: Bool

    /// Creates a procedure record.
    public init(
        code: String, name: String, nameEnglish: String? = nil, groupSlug: String? = nil, field: String,
        ministryCode: String? = nil, levels: [AdministrativeLevel], implementingAgency: String,
        competentAgency: String, handlingAgencyCodes: [String] = [], audiences: [Audience],
        channels: [SubmissionChannel], onlineLevel: OnlineLevel, legacyLevel: Int? = nil,
        processingTime: ProcessingTimeText, fee: Fee, documents: [RequiredDocument] = [], steps: [String] = [],
        conditions: String? = nil, legalBasis: [String] = [], result: String, resultCodes: [String] = [],
        decision: String? = nil, popular: Bool = false
    ) {
        self.code = code
        self.name = name
        self.nameEnglish = nameEnglish
        self.groupSlug = groupSlug
        self.field = field
        self.ministryCode = ministryCode
        self.levels = levels
        self.implementingAgency = implementingAgency
        self.competentAgency = competentAgency
        self.handlingAgencyCodes = handlingAgencyCodes
        self.audiences = audiences
        self.channels = channels
        self.onlineLevel = onlineLevel
        self.legacyLevel = legacyLevel
        self.processingTime = processingTime
        self.fee = fee
        self.documents = documents
        self.steps = steps
        self.conditions = conditions
        self.legalBasis = legalBasis
        self.result = result
        self.resultCodes = resultCodes
        self.decision = decision
        self.popular = popular
    }
}

/// The government level that carries out a procedure.
public enum AdministrativeLevel: String, Sendable, Hashable, Codable, CaseIterable {
    case central, province, commune
}

/// Who may ask for a procedure.
public enum Audience: String, Sendable, Hashable, Codable, CaseIterable {
    case citizen, business
}

/// How a dossier can be handed in.
public enum SubmissionChannel: String, Sendable, Hashable, Codable, CaseIterable {
    case inPerson = "in_person"
    case online
    case postal
}

/// How much of a procedure can be done online (Decree 42/2022/NĐ-CP).
public enum OnlineLevel: String, Sendable, Hashable, Codable, CaseIterable {
    /// Toàn trình: submission, payment and result all online.
    case full
    /// Một phần: some steps need a visit.
    case partial
    /// No online channel at all.
    case none
}

/// The processing time as the catalogue states it: an amount and unit where the law gives a number, and the text.
public struct ProcessingTimeText: Sendable, Hashable, Codable {
    public var amount: Int?
    /// `working_days`, `days`, `hours` or `months`.
    public var unit: String?
    public var text: String

    /// Creates a processing time.
    public init(amount: Int?, unit: String?, text: String) {
        self.amount = amount
        self.unit = unit
        self.text = text
    }

    /// The limit the legal clock runs on, when the catalogue states it as an amount in a known unit.
    public var limit: ProcessingTime? {
        guard let amount, let unit = unit.flatMap(ProcessingTimeUnit.init(rawValue:)) else { return nil }
        return ProcessingTime(amount: amount, unit: unit)
    }
}

extension Procedure {
    /// The fee paid online with the application: the catalogue's amount when it states one clear amount above zero
    /// (a fee that depends on the case or the province is settled by the agency later, with a payment request).
    public var feeDueAtSubmission: Int64? {
        guard let amount = fee.amount, amount > 0 else { return nil }
        return amount
    }
}

/// The fee of a procedure: an amount in whole đồng where one clear amount applies, and the text.
public struct Fee: Sendable, Hashable, Codable {
    public var amount: Int64?
    public var text: String

    /// Creates a fee.
    public init(amount: Int64?, text: String) {
        self.amount = amount
        self.text = text
    }
}

/// A document the applicant must hand in.
public struct RequiredDocument: Sendable, Hashable, Codable {
    public var name: String
    public var quantity: String?
    public var template: String?
    /// The case this document applies to, when the procedure has several.
    public var group: String?

    /// Creates a required document.
    public init(name: String, quantity: String?, template: String?, group: String?) {
        self.name = name
        self.quantity = quantity
        self.template = template
        self.group = group
    }
}
