import { useState } from 'react';
import { DpoConsole } from './dpo/DpoConsole';
import { useRoute } from './router';
import { SubjectCenter } from './subject/SubjectCenter';

export function App() {
  const route = useRoute();
  // The DPO's token: in memory only, gone with the tab or a reload (never in storage or the URL).
  const [dpoToken, setDpoToken] = useState<string | null>(null);
  return route.area === 'dpo' ? <DpoConsole screen={route.screen} token={dpoToken} setToken={setDpoToken} /> : <SubjectCenter screen={route.screen} />;
}
