// `npm run server -- add-user`: the first supervisor (P2), and anyone else, from a terminal.
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'
import { NewPersonInput } from '../../core/contract/people.ts'
import { createPeopleService } from '../../core/people/peopleService.ts'
import type { Store } from '../../core/store/index.ts'
import { ConfigError } from './teamConfig.ts'

export interface AddUserArgs {
  username?: string
  name?: string
  role?: string
  capacity?: string
  passwordFile?: string
}

/** Reads the password: from a file (its first line), or asked twice at a prompt that does not echo it. */
export async function readPassword(args: AddUserArgs, input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin): Promise<string> {
  if (args.passwordFile) {
    try {
      return readFileSync(args.passwordFile, 'utf8').split(/\r?\n/)[0] ?? ''
    } catch (error) {
      throw new ConfigError(`--password-file ${args.passwordFile} cannot be read (${(error as Error).message}).`)
    }
  }
  if (!input.isTTY) {
    // Piped in: the first line is the password.
    const lines = createInterface({ input })
    for await (const line of lines) return line
    throw new ConfigError('No password was given: type it at the prompt, or use --password-file FILE.')
  }
  const first = await prompt('Password: ', input)
  const second = await prompt('Password again: ', input)
  if (first !== second) throw new ConfigError('The two passwords are not the same; nothing was added.')
  return first
}

function prompt(question: string, input: NodeJS.ReadableStream): Promise<string> {
  let muted = false
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk)
      done()
    },
  })
  const lines = createInterface({ input, output, terminal: true })
  return new Promise((resolve) => {
    lines.question(question, (answer) => {
      lines.close()
      process.stderr.write('\n')
      resolve(answer)
    })
    muted = true
  })
}

export async function addUser(store: Store, args: AddUserArgs, password: string): Promise<string> {
  const parsed = NewPersonInput.safeParse({
    username: args.username,
    name: args.name,
    role: args.role,
    ...(args.capacity !== undefined ? { messageCapacity: Number(args.capacity) } : {}),
    password,
  })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const field = { username: '--username', name: '--name', role: '--role', messageCapacity: '--capacity', password: 'The password' }[String(issue.path[0])] ?? String(issue.path[0])
    throw new ConfigError(`${field}: ${issue.code === 'invalid_type' ? 'missing' : issue.message}`)
  }
  const people = createPeopleService({ store, now: Date.now, onSessionsEnded: () => {} })
  const person = await people.add(parsed.data)
  return `Added ${person.role} ${person.name} (${person.username}).`
}
