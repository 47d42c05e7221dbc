import type { AssignmentJob, OnlineExecutive } from '@care-chat/contract';
import { type Assignment, assignChat, openChatsOf, unassignedChats } from '@care-chat/store';
import { chatWasAssigned, chatWasReassigned } from '../broadcaster.js';
import type { ProcessorDeps } from './deps.js';

type AssignmentDeps = Pick<ProcessorDeps, 'db' | 'emitter' | 'online' | 'log'>;

/**
 * What a change of presence asks of assignment. Someone came online: every open chat nobody owns that they
 * may take is given out, each to the least loaded of everyone online then (the newcomer first, being the
 * least loaded). Someone went offline and is still offline: each of their open chats is handed on, or left
 * to no one until an executive allowed for it comes online.
 */
export async function processAssignmentJob(job: AssignmentJob, deps: AssignmentDeps): Promise<void> {
  const online = await deps.online();
  const id = job.executive_id;
  const here = online.find((each) => each.executive_id === id);
  if (job.kind === 'online') {
    if (here === undefined) return;
    for (const chat of await unassignedChats(deps.db, here.customer_types)) {
      await announce(deps, await assignChat(deps.db, chat.chatId, chat.customerType, online));
    }
    return;
  }
  if (here !== undefined) return;
  const others: OnlineExecutive[] = online.filter((each) => each.executive_id !== id);
  for (const chat of await openChatsOf(deps.db, id)) {
    await announce(deps, await assignChat(deps.db, chat.chatId, chat.customerType, others, id));
  }
}

// Keyed by the chat's version after the change: a retried job that finds the chat already given tells no one
// again, and every later change is a new key.
async function announce(deps: AssignmentDeps, done: Assignment | null): Promise<void> {
  if (done === null) return;
  const { chat, fromExecutiveId } = done;
  const group = fromExecutiveId === null ? chatWasAssigned(chat) : chatWasReassigned(chat, fromExecutiveId);
  await deps.emitter.publishOnce(`assignment:${chat.chat_id}:${chat.version}`, group);
  deps.log.debug(
    { chat: chat.chat_id, from: fromExecutiveId, to: chat.assigned_executive_id },
    fromExecutiveId === null ? 'chat assigned' : 'chat handed on',
  );
}
