import PortalCore
import PortalStore

/// One page of a list: `{"items","total","page","per_page"}`.
struct PageJSON<Item: Encodable & Sendable>: Encodable, Sendable {
    let items: [Item]
    let total: Int
    let page: Int
    let perPage: Int

    enum CodingKeys: String, CodingKey {
        case items, total, page
        case perPage = "per_page"
    }
}

/// An agency a procedure is filed under.
struct AgencyRefJSON: Encodable, Sendable {
    let code: String
    let name: String?
}

/// A procedure in a list.
struct ProcedureSummaryJSON: Encodable, Sendable {
    let code: String
    let name: String
    let field: String
    let agencies: [AgencyRefJSON]
    let onlineLevel: String
    let processingTime: ProcessingTimeText
    let fee: Fee

    init(_ procedure: Procedure, agencies names: [String: String]) {
        code = procedure.code
        name = procedure.name
        field = procedure.field
        agencies = CatalogueStore.agencyCodes(of: procedure).map { AgencyRefJSON(code: $0, name: names[$0]) }
        onlineLevel = procedure.onlineLevel.rawValue
        processingTime = procedure.processingTime
        fee = procedure.fee
    }

    enum CodingKeys: String, CodingKey {
        case code, name, field, agencies, fee
        case onlineLevel = "online_level"
        case processingTime = "processing_time"
    }
}

/// A procedure in full.
struct ProcedureJSON: Encodable, Sendable {
    struct Document: Encodable, Sendable {
        let name: String
        let quantity: String?
        let template: String?
        let group: String?
    }
    let code: String
    let name: String
    let nameEn: String?
    let group: String?
    let field: String
    let ministry: String?
    let levels: [String]
    let implementingAgency: String
    let competentAgency: String
    let agencies: [AgencyRefJSON]
    let audiences: [String]
    let channels: [String]
    let onlineLevel: String
    let legacyLevel: Int?
    let processingTime: ProcessingTimeText
    let fee: Fee
    let documents: [Document]
    let steps: [String]
    let conditions: String?
    let legalBasis: [String]
    let result: String
    let resultCodes: [String]
    let decision: String?

    init(_ procedure: Procedure, agencies names: [String: String]) {
        code = procedure.code
        name = procedure.name
        nameEn = procedure.nameEnglish
        group = procedure.groupSlug
        field = procedure.field
        ministry = procedure.ministryCode
        levels = procedure.levels.map(\.rawValue)
        implementingAgency = procedure.implementingAgency
        competentAgency = procedure.competentAgency
        agencies = CatalogueStore.agencyCodes(of: procedure).map { AgencyRefJSON(code: $0, name: names[$0]) }
        audiences = procedure.audiences.map(\.rawValue)
        channels = procedure.channels.map(\.rawValue)
        onlineLevel = procedure.onlineLevel.rawValue
        legacyLevel = procedure.legacyLevel
        processingTime = procedure.processingTime
        fee = procedure.fee
        documents = procedure.documents.map {
            Document(name: $0.name, quantity: $0.quantity, template: $0.template, group: $0.group)
        }
        steps = procedure.steps
        conditions = procedure.conditions
        legalBasis = procedure.legalBasis
        result = procedure.result
        resultCodes = procedure.resultCodes
        decision = procedure.decision
    }

    enum CodingKeys: String, CodingKey {
        case code, name, group, field, ministry, levels, agencies, audiences, channels, fee, documents, steps
        case conditions, result, decision
        case nameEn = "name_en"
        case implementingAgency = "implementing_agency"
        case competentAgency = "competent_agency"
        case onlineLevel = "online_level"
        case legacyLevel = "legacy_level"
        case processingTime = "processing_time"
        case legalBasis = "legal_basis"
        case resultCodes = "result_codes"
    }
}

/// A list with its total.
struct ListJSON<Item: Encodable & Sendable>: Encodable, Sendable {
    let items: [Item]
    let total: Int
}

/// A province.
struct ProvinceJSON: Encodable, Sendable {
    let code: String
    let name: String
    let fullName: String
    let type: String

    init(_ province: Province) {
        code = province.code
        name = province.name
        fullName = province.fullName
        type = province.type
    }

    enum CodingKeys: String, CodingKey {
        case code, name, type
        case fullName = "full_name"
    }
}

/// A commune.
struct CommuneJSON: Encodable, Sendable {
    let code: String
    let name: String
    let type: String

    init(_ commune: Commune) {
        code = commune.code
        name = commune.name
        type = commune.type
    }
}

/// The communes of one province.
struct CommuneList: Encodable, Sendable {
    let province: ProvinceJSON
    let items: [CommuneJSON]
    let total: Int
}

/// An agency.
struct AgencyJSON: Encodable, Sendable {
    let code: String
    let shortCode: String?
    let name: String
    let nameEn: String?
    let level: String
    let parentCode: String?
    let provinceCode: String?
    let status: String

    init(_ agency: Agency) {
        code = agency.code
        shortCode = agency.shortCode
        name = agency.name
        nameEn = agency.nameEnglish
        level = agency.level.rawValue
        parentCode = agency.parentCode
        provinceCode = agency.provinceCode
        status = agency.status
    }

    enum CodingKeys: String, CodingKey {
        case code, name, level, status
        case shortCode = "short_code"
        case nameEn = "name_en"
        case parentCode = "parent_code"
        case provinceCode = "province_code"
    }
}
