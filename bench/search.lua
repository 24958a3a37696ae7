-- wrk script: each request searches for a different query from bench/queries.txt
-- (written by bench/run.sh from the catalogue), so most miss the search cache.
local queries = {}
local i = 0
init = function(args)
  for line in io.lines(args[1]) do queries[#queries + 1] = line end
  i = math.random(#queries)
end
request = function()
  i = i % #queries + 1
  return wrk.format("GET", "/fa/search?q=" .. queries[i])
end
