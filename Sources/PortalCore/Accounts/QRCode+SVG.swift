import Foundation

extension QRCode {
    /// The symbol as a standalone SVG: black modules on a white background with a `quietZone` of light modules on
    /// each side (the standard asks for 4). One path with one `M x y hN v1 h-N z` rectangle per horizontal run of dark
    /// modules keeps it small, and `crispEdges` stops anti-aliasing seams between neighbouring runs.
    public func svg(moduleSize: Int = 4, quietZone: Int = 4) -> String {
        let margin = max(0, quietZone)
        let side = size + 2 * margin
        let pixels = side * max(1, moduleSize)
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else {
                    x += 1
                    continue
                }
                var run = 1
                while isDark(x: x + run, y: y) { run += 1 }
                path += "M\(x + margin) \(y + margin)h\(run)v1h-\(run)z"
                x += run
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(side) \(side)\" width=\"\(pixels)\" "
            + "height=\"\(pixels)\" role=\"img\" shape-rendering=\"crispEdges\">"
            + "<rect width=\"\(side)\" height=\"\(side)\" fill=\"#fff\"/><path fill=\"#000\" d=\"\(path)\"/></svg>"
    }

    /// The default SVG as a `data:image/svg+xml;base64,` URI, for an `<img src>` that needs no separate request.
    public func svgDataURI() -> String {
        "data:image/svg+xml;base64," + Data(svg().utf8).base64EncodedString()
    }
}
