/** The executive `npm start` creates (its password set again at every start). */
export const DEMO_EXECUTIVE = {
  username: 'demo',
  name: 'Demo Executive',
  agentNumber: '919800000099',
} as const;
