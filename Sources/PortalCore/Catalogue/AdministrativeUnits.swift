/// A commune-level unit (xã, phường, đặc khu) of the two-tier structure in force since 1 July 2025.
public struct Commune: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var type: String
    public var provinceCode: String

    /// Creates a commune.
    public init(code: String, name: String, type: String, provinceCode: String) {
        self.code = code
        self.name = name
        self.type = type
        self.provinceCode = provinceCode
    }
}

/// A unit of the three-tier structure before 1 July 2025 (63 provinces, 696 districts, 10,035 wards), kept so
/// that old addresses can be converted.
public struct LegacyUnit: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var type: String
    /// The district of a ward; nil for provinces and districts.
    public var districtCode: String?
    /// The province of a district or ward; nil for provinces.
    public var provinceCode: String?

    /// Creates a legacy unit.
    public init(code: String, name: String, type: String, districtCode: String?, provinceCode: String?) {
        self.code = code
        self.name = name
        self.type = type
        self.districtCode = districtCode
        self.provinceCode = provinceCode
    }
}

/// Where an old ward went in the 2025 reform: all of it (`full`) or part of it (`partial`) into a new commune.
public struct WardMapping: Sendable, Hashable, Codable {
    public var oldWardCode: String
    public var oldWardName: String
    public var oldProvinceCode: String
    public var newCommuneCode: String
    public var mergeType: String

    /// Creates a mapping row.
    public init(
        oldWardCode: String, oldWardName: String, oldProvinceCode: String, newCommuneCode: String, mergeType: String
    ) {
        self.oldWardCode = oldWardCode
        self.oldWardName = oldWardName
        self.oldProvinceCode = oldProvinceCode
        self.newCommuneCode = newCommuneCode
        self.mergeType = mergeType
    }
}
