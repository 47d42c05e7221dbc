import { LIMITS, parseWebhook, type WhatsAppMessage } from '@care-chat/contract';
import { fixtureNames, readFixture } from '@care-chat/testkit';
import { describe, expect, it } from 'vitest';
import { messageContent } from '../src/whatsapp/message-content.js';

const message = (type: string, fields: Record<string, unknown> = {}): WhatsAppMessage => ({
  id: 'wamid.HBgLMTU1NTAwMDIyMjIVAgASGBQz',
  timestamp: '1767225600',
  from: '15550002222',
  type,
  ...fields,
});

const previewOf = (input: WhatsAppMessage) => messageContent(input).preview;

describe('messageContent previews', () => {
  it.each([
    ['text', message('text', { text: { body: 'Does it come in another color?' } }), 'Does it come in another color?'],
    ['image with a caption', message('image', { image: { id: '1', caption: 'The box' } }), '📷 Photo: The box'],
    ['image without a caption', message('image', { image: { id: '1' } }), '📷 Photo'],
    ['video with a caption', message('video', { video: { id: '2', caption: 'Unboxing' } }), '🎥 Video: Unboxing'],
    ['video without a caption', message('video', { video: { id: '2' } }), '🎥 Video'],
    ['voice note', message('audio', { audio: { id: '3', voice: true } }), '🎤 Voice message'],
    ['audio file', message('audio', { audio: { id: '3', voice: false } }), '🎵 Audio'],
    [
      'document with a filename',
      message('document', { document: { id: '4', filename: 'invoice.pdf', caption: 'Here' } }),
      '📄 Document: invoice.pdf',
    ],
    [
      'document with only a caption',
      message('document', { document: { id: '4', caption: 'Here' } }),
      '📄 Document: Here',
    ],
    ['document with neither', message('document', { document: { id: '4' } }), '📄 Document'],
    ['sticker', message('sticker', { sticker: { id: '5', animated: true } }), '💟 Sticker'],
    [
      'location with a name',
      message('location', { location: { latitude: 1.5, longitude: 2.5, name: 'Shop', address: '1 Main St' } }),
      '📍 Location: Shop',
    ],
    [
      'location with an address',
      message('location', { location: { latitude: 1.5, longitude: 2.5, address: '1 Main St' } }),
      '📍 Location: 1 Main St',
    ],
    [
      'location with coordinates only',
      message('location', { location: { latitude: 12.97, longitude: -77.59 } }),
      '📍 Location: 12.97, -77.59',
    ],
    ['location with nothing', message('location', { location: {} }), '📍 Location'],
    [
      'one contact',
      message('contacts', { contacts: [{ name: { formatted_name: 'Ann Lee' }, phones: [] }] }),
      '👤 Contact: Ann Lee',
    ],
    [
      'several contacts',
      message('contacts', {
        contacts: [{ name: { formatted_name: 'Ann Lee' } }, { name: { formatted_name: 'Bo' } }, { name: {} }],
      }),
      '👤 Contact: Ann Lee +2 more',
    ],
    ['a contact without a name', message('contacts', { contacts: [{ phones: [] }] }), '👤 Contact'],
    [
      'list reply with a description',
      message('interactive', {
        interactive: { type: 'list_reply', list_reply: { id: 'row-2', title: 'Returns', description: 'Send it back' } },
      }),
      'Returns — Send it back',
    ],
    [
      'list reply without a description',
      message('interactive', { interactive: { type: 'list_reply', list_reply: { id: 'row-2', title: 'Returns' } } }),
      'Returns',
    ],
    [
      'flow form response',
      message('interactive', {
        interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', response_json: '{"a":1}', body: 'Sent' } },
      }),
      '📝 Form response',
    ],
    [
      'other interactive reply',
      message('interactive', { interactive: { type: 'call_permission_reply' } }),
      'Interactive reply',
    ],
    ['reaction', message('reaction', { reaction: { message_id: 'wamid.X', emoji: '👍' } }), 'Reacted 👍 to a message'],
    [
      'reaction removed (empty emoji)',
      message('reaction', { reaction: { message_id: 'wamid.X', emoji: '' } }),
      'Removed a reaction',
    ],
    ['reaction removed (no emoji)', message('reaction', { reaction: { message_id: 'wamid.X' } }), 'Removed a reaction'],
    [
      'order of several items',
      message('order', { order: { catalog_id: 'c', product_items: [{ quantity: 1 }, { quantity: 2 }] } }),
      '🛒 Order (2 items)',
    ],
    ['order of one item', message('order', { order: { product_items: [{ quantity: 3 }] } }), '🛒 Order (1 item)'],
    ['order without items', message('order', { order: {} }), '🛒 Order'],
    [
      'system message',
      message('system', { system: { body: 'Customer changed number', type: 'user_changed_number' } }),
      'Customer changed number',
    ],
    ['system message without a body', message('system', { system: {} }), 'System message'],
    ['request welcome', message('request_welcome'), '👋 Started a conversation'],
    [
      'unsupported with an error',
      message('unsupported', {
        unsupported: { type: 'edit' },
        errors: [{ code: 131051, title: 'Message type is currently not supported.' }],
      }),
      '⚠️ Unsupported message: Message type is currently not supported.',
    ],
    ['unknown without errors', message('unknown'), '⚠️ Unsupported message'],
    ['a kind not known here', message('ephemeral', { ephemeral: {} }), 'ephemeral message'],
    ['an empty text body', message('text', { text: { body: '   ' } }), 'text message'],
    ['whitespace around text', message('text', { text: { body: '  hello \n' } }), 'hello'],
  ])('%s', (_name, input, expected) => {
    expect(previewOf(input)).toBe(expected);
  });
});

describe('messageContent media and tags', () => {
  it('keeps a copy of the media object and its type', () => {
    const image = { id: '1000000000000101', mime_type: 'image/jpeg', sha256: 'abc', caption: 'Box', url: 'https://x' };
    const content = messageContent(message('image', { image }));
    expect(content).toEqual({ preview: '📷 Photo: Box', media_type: 'image', media: image, message_tag: null });
    expect(content.media).not.toBe(image);
  });

  it.each(['video', 'audio', 'document', 'sticker'] as const)('gives %s its media type', (type) => {
    const media = { id: '9', mime_type: 'application/octet-stream' };
    expect(messageContent(message(type, { [type]: media }))).toMatchObject({ media_type: type, media });
  });

  it('gives no media for kinds without media', () => {
    expect(messageContent(message('text', { text: { body: 'hi' } }))).toMatchObject({ media_type: null, media: null });
  });

  it.each([null, 'image', 42, ['id'], new Date()])('gives no media object when the image is %s', (image) => {
    expect(messageContent(message('image', { image }))).toEqual({
      preview: '📷 Photo',
      media_type: 'image',
      media: null,
      message_tag: null,
    });
  });

  it('tags a button reply with its id', () => {
    const input = message('interactive', {
      interactive: { type: 'button_reply', button_reply: { id: 'btn-yes', title: 'Yes, please' } },
    });
    expect(messageContent(input)).toMatchObject({ preview: 'Yes, please', message_tag: 'btn-yes' });
  });

  it('tags a list reply with its row id', () => {
    const input = message('interactive', {
      interactive: { type: 'list_reply', list_reply: { id: 'row-7', title: 'Track order' } },
    });
    expect(messageContent(input)).toMatchObject({ preview: 'Track order', message_tag: 'row-7' });
  });

  it('tags a template quick reply with its payload', () => {
    const input = message('button', { button: { text: 'Stop promotions', payload: 'STOP_PROMO' } });
    expect(messageContent(input)).toMatchObject({ preview: 'Stop promotions', message_tag: 'STOP_PROMO' });
  });

  it('gives no tag for a form response, a text or an id that is not a string', () => {
    const form = message('interactive', { interactive: { type: 'nfm_reply', nfm_reply: { response_json: '{}' } } });
    const numeric = message('interactive', {
      interactive: { type: 'button_reply', button_reply: { id: 7, title: 'Seven' } },
    });
    expect(messageContent(form).message_tag).toBeNull();
    expect(messageContent(message('text', { text: { body: 'x' } })).message_tag).toBeNull();
    expect(messageContent(numeric)).toMatchObject({ preview: 'Seven', message_tag: null });
  });
});

describe('messageContent forwards and limits', () => {
  it.each([
    ['forwarded', { forwarded: true }],
    ['frequently forwarded', { frequently_forwarded: true }],
  ])('prefixes a %s message', (_name, context) => {
    const input = message('image', { image: { caption: 'Look' }, context });
    expect(previewOf(input)).toBe('↪️ Forwarded: 📷 Photo: Look');
  });

  it('does not prefix a reply or a message marked not forwarded', () => {
    const reply = message('text', { text: { body: 'ok' }, context: { from: '15550001111', id: 'wamid.Y' } });
    const notForwarded = message('text', { text: { body: 'ok' }, context: { forwarded: false } });
    expect(previewOf(reply)).toBe('ok');
    expect(previewOf(notForwarded)).toBe('ok');
  });

  it('prefixes the fallback, not an empty body', () => {
    expect(previewOf(message('text', { text: {}, context: { forwarded: true } }))).toBe('↪️ Forwarded: text message');
  });

  it('cuts a long preview to the limit and ends it with an ellipsis', () => {
    const preview = previewOf(message('text', { text: { body: 'a'.repeat(LIMITS.message + 10) } }));
    expect(preview).toHaveLength(LIMITS.message);
    expect(preview.endsWith('a…')).toBe(true);
  });

  it('keeps a preview of exactly the limit whole', () => {
    const body = 'b'.repeat(LIMITS.message);
    expect(previewOf(message('text', { text: { body } }))).toBe(body);
  });

  it('never cuts an emoji in half', () => {
    const preview = previewOf(message('text', { text: { body: `${'a'.repeat(LIMITS.message - 3)}😀😀😀` } }));
    expect(preview.length).toBeLessThanOrEqual(LIMITS.message);
    expect(preview.endsWith('😀…')).toBe(true);
  });
});

describe('messageContent on the webhook samples', () => {
  const expected: Record<string, string[]> = {
    'text.json': ['Does it come in another color?'],
    'image.json': ['📷 Photo: Photo of the damaged box'],
    'batch.json': ['Hi, I need help with order 42', 'Is the store open on Sunday?', '📷 Photo'],
    'status-sent.json': [],
    'status-read.json': [],
  };
  const webhooks = fixtureNames('whatsapp').flatMap((name) => {
    const body: unknown = JSON.parse(readFixture(`whatsapp/${name}`));
    const parsed = parseWebhook(body);
    return parsed.ok ? [{ name, jobs: parsed.value }] : [];
  });

  it('finds the samples', () => {
    expect(webhooks.map(({ name }) => name)).toEqual(expect.arrayContaining(Object.keys(expected)));
  });

  it.each(webhooks)('previews every message in $name', ({ name, jobs }) => {
    const previews = jobs.flatMap((job) => (job.kind === 'message' ? [messageContent(job.message).preview] : []));
    for (const preview of previews) expect(preview).not.toMatch(/ message$/);
    if (name in expected) expect(previews).toEqual(expected[name]);
  });

  it('keeps the sample image as its media', () => {
    const webhook = webhooks.find(({ name }) => name === 'image.json');
    const job = webhook?.jobs[0];
    if (job?.kind !== 'message') throw new Error('image.json should hold one message');
    expect(messageContent(job.message)).toMatchObject({
      media_type: 'image',
      media: { id: '1000000000000101', mime_type: 'image/jpeg', caption: 'Photo of the damaged box' },
      message_tag: null,
    });
  });
});

describe('messageContent on malformed input', () => {
  const huge = 'x'.repeat(1_000_000);
  const proto = JSON.parse('{"__proto__":{}}');
  const malformed: [string, unknown][] = [
    ['text is null', message('text', { text: null })],
    ['text is a number', message('text', { text: 42 })],
    ['text is an array', message('text', { text: ['body'] })],
    ['text is a string', message('text', { text: 'hello' })],
    ['text body is a number', message('text', { text: { body: 12 } })],
    ['text body is huge', message('text', { text: { body: huge } })],
    ['text is missing', message('text')],
    ['image is a string', message('image', { image: 'https://x' })],
    ['image caption is an object', message('image', { image: { caption: { text: 'x' } } })],
    ['document filename is huge', message('document', { document: { filename: huge } })],
    ['audio voice is a string', message('audio', { audio: { voice: 'true' } })],
    ['location coordinates are strings', message('location', { location: { latitude: '1', longitude: 'x' } })],
    ['location is an array', message('location', { location: [1, 2] })],
    ['contacts is an object', message('contacts', { contacts: { name: 'x' } })],
    ['contacts holds null', message('contacts', { contacts: [null, 3] })],
    ['contact name is a string', message('contacts', { contacts: [{ name: 'Ann' }] })],
    ['interactive is null', message('interactive', { interactive: null })],
    ['interactive type is __proto__', message('interactive', { interactive: { type: '__proto__' } })],
    ['interactive reply is missing', message('interactive', { interactive: { type: 'button_reply' } })],
    [
      'list reply title is a number',
      message('interactive', { interactive: { type: 'list_reply', list_reply: { title: 1 } } }),
    ],
    ['button is an array', message('button', { button: [] })],
    ['reaction emoji is a number', message('reaction', { reaction: { emoji: 1 } })],
    ['order items is a string', message('order', { order: { product_items: 'three' } })],
    ['errors is an object', message('unsupported', { errors: { title: 'x' } })],
    ['errors holds null', message('unknown', { errors: [null] })],
    ['kind object is __proto__ JSON', message('image', { image: proto })],
    ['type is __proto__', { ...message('x'), ...JSON.parse('{"type":"__proto__","__proto__":{"body":"x"}}') }],
    ['type is constructor', message('constructor')],
    ['type is toString', message('toString')],
    ['type is empty', message('')],
    ['type is a number', { ...message('x'), type: 7 }],
    ['type is huge', message(huge)],
    ['context is a string', message('text', { text: { body: 'hi' }, context: 'forwarded' })],
    ['context forwarded is a string', message('text', { text: { body: 'hi' }, context: { forwarded: 'yes' } })],
    ['message is null', null],
    ['message is a number', 5],
    ['message is an array', []],
  ];

  it.each(malformed)('never throws when %s', (_name, input) => {
    const content = messageContent(input as WhatsAppMessage);
    expect(typeof content.preview).toBe('string');
    expect(content.preview.trim()).not.toBe('');
    expect(content.preview.length).toBeLessThanOrEqual(LIMITS.message);
    expect(content.message_tag === null || typeof content.message_tag === 'string').toBe(true);
    if (content.media !== null) expect(Object.getPrototypeOf(content.media)).toBe(Object.prototype);
  });

  it('falls back to sensible text', () => {
    expect(previewOf(message('text', { text: null }))).toBe('text message');
    expect(previewOf(message('constructor'))).toBe('constructor message');
    expect(previewOf(message(''))).toBe('Message');
    expect(previewOf(message(huge))).toBe(`${'x'.repeat(LIMITS.label)} message`);
    expect(messageContent(message('image', { image: proto }))).toMatchObject({ preview: '📷 Photo', media: {} });
  });
});
