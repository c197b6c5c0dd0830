import PortalCore
import Testing

@Suite struct VietnameseTextTests {
    @Test(arguments: [
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("DANG KY KHAI SINH", "dang ky khai sinh"),
        ("  Đăng   ký\tkhai\nsinh ", "dang ky khai sinh"),
        ("Chứng thực bản sao", "chung thuc ban sao"),
        ("Thủ tục cấp Giấy phép xây dựng", "thu tuc cap giay phep xay dung"),
        ("Ủy ban nhân dân xã Đắk Mil", "uy ban nhan dan xa dak mil"),
        ("1.001193", "1.001193"),
    ])
    func foldingRemovesCaseAndDiacritics(input: String, expected: String) {
        #expect(VietnameseText.fold(input) == expected)
    }

    @Test func foldingHandlesDecomposedInput() {
        // "ế" typed as e + combining circumflex + combining acute must fold like the precomposed letter.
        let decomposed = "Ki\u{65}\u{302}\u{301}n nghi\u{323}"
        #expect(VietnameseText.fold(decomposed) == "kien nghi")
    }

    @Test(arguments: [
        (Int64(0), "0 ₫"), (Int64(500), "500 ₫"), (Int64(1_000), "1.000 ₫"), (Int64(1_500_000), "1.500.000 ₫"),
        (Int64(-25_000), "-25.000 ₫"),
    ])
    func dongAmountsUseDotsAsThousandsSeparators(amount: Int64, expected: String) {
        #expect(VietnameseText.formatDong(amount) == expected)
    }
}
