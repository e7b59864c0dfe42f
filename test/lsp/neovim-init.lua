-- Neovim (0.7+) as a second LSP client, set up exactly as the README says: on a Go buffer, start
-- the cgo server over stdio and attach it. Then wait for its push diagnostics, write them as
-- JSON to $CGO_OUT and quit.
-- A normal Neovim has filetype detection on; started with -u it must be asked for.
vim.cmd('filetype on')

local cgo_client
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'go',
  callback = function(args)
    cgo_client = cgo_client or vim.lsp.start_client({
      name = 'cgo',
      cmd = { 'node', os.getenv('CGO_SERVER'), '--stdio' },
      root_dir = vim.fn.getcwd(),
    })
    vim.lsp.buf_attach_client(args.buf, cgo_client)
  end,
})

vim.cmd('edit ' .. os.getenv('CGO_FILE'))
local bufnr = vim.api.nvim_get_current_buf()
local ok = vim.wait(20000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
local result = {}
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  local lsp = d.user_data and d.user_data.lsp or {}
  table.insert(result, {
    lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
    severity = d.severity, message = d.message, source = d.source, code = d.code or lsp.code,
  })
end
local f = io.open(os.getenv('CGO_OUT'), 'w')
f:write(vim.fn.json_encode({ ok = ok, filetype = vim.bo.filetype, diagnostics = result }))
f:close()
if cgo_client then vim.lsp.stop_client(cgo_client) end
vim.cmd('qall!')
