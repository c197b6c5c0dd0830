/// A state agency with its electronic identifier (QCVN 102:2016), e.g. `000.00.00.G01`.
public struct Agency: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var nameEnglish: String?
    public var level: AdministrativeLevel
    public var parentCode: String?
    public var provinceCode: String?
    /// `current`, or how the agency ended (e.g. `merged_2025`).
    public var status: String

    /// Creates an agency.
    public init(
        code: String, name: String, nameEnglish: String?, level: AdministrativeLevel, parentCode: String?,
        provinceCode: String?, status: String = "current"
    ) {
        self.code = code
        self.name = name
        self.nameEnglish = nameEnglish
        self.level = level
        self.parentCode = parentCode
        self.provinceCode = provinceCode
        self.status = status
    }

    /// The level-one unit (`G01`, `H29`) an identifier ends with.
    public var shortCode: String? {
        AgencyIdentifier(code).map(\.levelOneUnit)
    }
}

/// A province-level unit (34 since 1 July 2025), with its GSO code.
public struct Province: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var fullName: String
    public var type: String

    /// Creates a province.
    public init(code: String, name: String, fullName: String, type: String) {
        self.code = code
        self.name = name
        self.fullName = fullName
        self.type = type
    }
}

/// A group of procedures named in citizens' words, for the home page.
public struct ProcedureGroup: Sendable, Hashable, Codable {
    public var slug: String
    public var name: String
    public var nameEnglish: String
    public var description: String
    public var descriptionEnglish: String

    /// Creates a group.
    public init(slug: String, name: String, nameEnglish: String, description: String, descriptionEnglish: String) {
        self.slug = slug
        self.name = name
        self.nameEnglish = nameEnglish
        self.description = description
        self.descriptionEnglish = descriptionEnglish
    }
}
