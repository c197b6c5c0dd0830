-- P1: public lookup of random dossier codes through GET /api/v1/dossiers/{code}/status.
-- Argument: a file of dossier codes, one a line.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")

setup = common.setup
done = common.done

function init(args)
    common.seed()
    codes = common.lines(args[1])
end

function request()
    return wrk.format("GET", "/api/v1/dossiers/" .. codes[math.random(#codes)] .. "/status")
end
