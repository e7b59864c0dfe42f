-- Neovim (0.7+) as a second LSP client: opens one Go file with the cgo server attached over
-- stdio, waits for its push diagnostics, writes them as JSON to $CGO_OUT and quits.
local server = os.getenv('CGO_SERVER')
local out = os.getenv('CGO_OUT')
local file = os.getenv('CGO_FILE')
vim.cmd('edit ' .. file)
vim.bo.filetype = 'go'
local bufnr = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = 'cgo',
  cmd = { 'node', server, '--stdio' },
  root_dir = vim.fn.fnamemodify(file, ':h'),
})
vim.lsp.buf_attach_client(bufnr, client_id)
local ok = vim.wait(20000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
local result = {}
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  table.insert(result, { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, severity = d.severity, message = d.message, source = d.source, code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) })
end
local f = io.open(out, 'w')
f:write(vim.fn.json_encode({ ok = ok, diagnostics = result }))
f:close()
vim.lsp.stop_client(client_id)
vim.cmd('qall!')
