// Decides the JSON Lines requests on stdin with @cloud-copilot/iam-simulate's
// runUnsafeSimulation (no validation), one identity policy: the peer side
// of scripts/bench-peers.sh's simulate row. Prints the number of allowed
// requests.
//
//   node simulate.cjs POLICY.json < requests.jsonl
const fs = require('fs')
const readline = require('readline')
const { runUnsafeSimulation } = require('@cloud-copilot/iam-simulate')

const policy = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
const identityPolicies = [{ name: 'policy', policy }]
let allowed = 0
let n = 0
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
rl.on('line', (line) => {
  if (!line.trim()) return
  const r = JSON.parse(line)
  const account = (r.resource.split(':')[4]) || '111111111111'
  const result = runUnsafeSimulation(
    {
      request: {
        principal: r.principal,
        action: r.action,
        resource: { resource: r.resource, accountId: account },
        contextVariables: r.context || {}
      },
      identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: []
    },
    {}
  )
  n++
  if (result === 'Allowed') allowed++
})
rl.on('close', () => console.log(`${allowed} of ${n} allowed`))
