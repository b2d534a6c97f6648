import type { UsersRepository, UserRecord } from '../adapters/db/repositories/users.js';
import type { PasswordHasher } from '../adapters/crypto/passwords.js';
import { randomSecret } from '../adapters/crypto/tokens.js';
import { isUniqueViolation } from '../adapters/db/sql-errors.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import { can, type Actor } from '../domain/policy.js';
import { isRole, type Role } from '../domain/roles.js';
import type { ContentChanged } from './content-changes.js';
import {
  BIO_MAX,
  isValidEmail,
  nameFromEmail,
  normalizeEmail,
  NAME_MAX,
  PASSWORD_MAX,
  PASSWORD_MIN,
} from '../domain/user.js';

export interface CreateUserInput {
  email: string;
  role: string;
  name?: string;
  /** Omitted: a strong password is generated and returned once. */
  password?: string;
}

export interface ProfileChange {
  name?: string;
  bio?: string | null;
}

export interface UserService {
  /** Creates a user. `actor` is who asks over the API (admins only); the CLI runs as the operator, without one. */
  create(input: CreateUserInput, actor?: Actor): Promise<{ user: UserRecord; generatedPassword?: string }>;
  list(actor: Actor): Promise<UserRecord[]>;
  changeRole(actor: Actor, id: number, role: Role): Promise<UserRecord>;
  /**
   * Changes what the author's pages show: the name (on every article of theirs, lists and feeds too) and the bio.
   * Users edit their own; admins anyone's. An empty bio removes it.
   */
  updateProfile(actor: Actor, id: number, profile: ProfileChange): Promise<UserRecord>;
  /**
   * Deletes a user (admins). Their sessions and tokens go with them; their articles must be handed to another user
   * (`reassignTo`), or the delete is refused. Nobody deletes or demotes themselves, so an admin always remains.
   */
  delete(actor: Actor, id: number, reassignTo?: number): Promise<void>;
}

function mustManageUsers(actor: Actor): void {
  if (!can(actor, 'user:manage')) throw new ForbiddenError('only admins manage users');
}

export function createUserService(deps: {
  users: UsersRepository;
  hasher: PasswordHasher;
  now: () => Date;
  /** Told when what an author's pages show changes: their articles change author, or a name or bio changes. */
  changed?: ContentChanged;
}): UserService {
  return {
    async create(input, actor) {
      if (actor) mustManageUsers(actor);
      const email = normalizeEmail(input.email);
      if (!isValidEmail(email)) throw new ValidationError(`"${input.email}" is not a valid email address`);
      if (!isRole(input.role)) throw new ValidationError(`role must be admin, editor or author (got "${input.role}")`);
      const name = (input.name ?? '').trim() || nameFromEmail(email);
      if (Array.from(name).length > NAME_MAX) throw new ValidationError(`name must be at most ${NAME_MAX} characters`);
      const generatedPassword = input.password === undefined ? randomSecret(18) : undefined;
      const password = input.password ?? generatedPassword!;
      if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
        throw new ValidationError(`password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`);
      }
      const now = deps.now();
      const row = {
        email,
        name,
        role: input.role,
        password_hash: await deps.hasher.hash(password),
        bio: null,
        created_at: now,
        updated_at: now,
      };
      let id: number;
      try {
        id = await deps.users.insert(row);
      } catch (err) {
        if (isUniqueViolation(err)) throw new ConflictError('email_taken', `a user with email ${email} already exists`);
        throw err;
      }
      const user = await deps.users.findById(id);
      return { user: user!, generatedPassword };
    },
    list(actor) {
      mustManageUsers(actor);
      return deps.users.list();
    },
    async changeRole(actor, id, role) {
      mustManageUsers(actor);
      if (id === actor.id && role !== actor.role) {
        throw new ConflictError('own_role', 'you cannot change your own role; ask another admin');
      }
      if (!(await deps.users.updateRole(id, role, deps.now()))) throw new NotFoundError('user');
      return (await deps.users.findById(id))!;
    },
    async updateProfile(actor, id, profile) {
      if (id !== actor.id) mustManageUsers(actor);
      const user = await deps.users.findById(id);
      if (!user) throw new NotFoundError('user');
      const change: ProfileChange = {};
      if (profile.name !== undefined) {
        const name = profile.name.trim();
        if (name === '' || Array.from(name).length > NAME_MAX) {
          throw new ValidationError(`name must be 1 to ${NAME_MAX} characters`);
        }
        if (name !== user.name) change.name = name;
      }
      if (profile.bio !== undefined) {
        const bio = profile.bio?.trim() || null;
        if (bio !== null && Array.from(bio).length > BIO_MAX) {
          throw new ValidationError(`bio must be at most ${BIO_MAX} characters`);
        }
        if (bio !== user.bio) change.bio = bio;
      }
      // Nothing a reader sees changed: no write, and no cached page dropped.
      if (change.name === undefined && change.bio === undefined) return user;
      if (!(await deps.users.updateProfile(id, change, deps.now()))) throw new NotFoundError('user');
      await deps.changed?.({ kind: 'authors' });
      return (await deps.users.findById(id))!;
    },
    async delete(actor, id, reassignTo) {
      mustManageUsers(actor);
      if (id === actor.id) throw new ConflictError('delete_self', 'you cannot delete yourself; ask another admin');
      if (!(await deps.users.findById(id))) throw new NotFoundError('user');
      if (reassignTo === id) throw new ValidationError('reassignTo must be another user');
      if (reassignTo !== undefined && !(await deps.users.findById(reassignTo))) {
        throw new ValidationError(`reassignTo: no user with id ${reassignTo}`);
      }
      const articles = await deps.users.countArticles(id);
      if (articles > 0 && reassignTo === undefined) {
        throw new ConflictError(
          'has_articles',
          `this user wrote ${articles} article(s): give reassignTo, the user who takes them over`,
        );
      }
      if (!(await deps.users.delete(id, articles > 0 ? reassignTo : undefined, deps.now()))) {
        throw new NotFoundError('user');
      }
      if (articles > 0) await deps.changed?.({ kind: 'authors' });
    },
  };
}
