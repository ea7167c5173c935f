// The tabbed panel: health, venues, sessions and alerts in one pane, one at a time.

import { AlertsPanel } from './AlertsPanel';
import { HealthPanel } from './HealthPanel';
import { Loaded, SessionsPanel } from './Loaded';
import { VenueStrip } from './VenueStrip';
import { useSession } from '../store/session';

export function BottomPanel() {
  const tab = useSession((s) => s.bottomTab);
  const setTab = useSession((s) => s.setBottomTab);
  return (
    <div className="bottom">
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'health'} onClick={() => setTab('health')}>
          Health
        </button>
        <button type="button" role="tab" aria-selected={tab === 'venues'} onClick={() => setTab('venues')}>
          Venues
        </button>
        <button type="button" role="tab" aria-selected={tab === 'sessions'} onClick={() => setTab('sessions')}>
          Sessions
        </button>
        <button type="button" role="tab" aria-selected={tab === 'alerts'} onClick={() => setTab('alerts')}>
          Alerts
        </button>
      </div>
      {tab === 'health' ? (
        <HealthPanel />
      ) : tab === 'venues' ? (
        <VenueStrip />
      ) : tab === 'alerts' ? (
        <AlertsPanel />
      ) : (
        <Loaded what="sessions">
          <SessionsPanel />
        </Loaded>
      )}
    </div>
  );
}
