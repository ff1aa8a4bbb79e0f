import { subject } from '../api';
import { Redactions } from '../components/Redactions';
import { Loaded, Panel, Screen, Table, useLoad } from '../components/ui';
import { orderContact, ProfileFacts } from '../components/values';
import { formatDateTime, formatMoney, shortId } from '../format';
import { label, t } from '../i18n';
import { isRedacted } from '../redactions';

export function MyData() {
  const [load, retry] = useLoad(() => subject.profile(), []);
  return (
    <Screen title={t.data.heading} intro={t.data.intro}>
      <Loaded load={load} retry={retry}>
        {({ data, redactions }) => (
          <>
            <Panel title={t.data.profile}>
              <ProfileFacts profile={data.profile} hidden={(field) => isRedacted(redactions, field)} />
            </Panel>
            <Panel title={t.data.orders}>
              {data.orders.length === 0 ? (
                <p>{t.data.ordersNone}</p>
              ) : (
                <Table caption={t.data.ordersCaption} head={[t.data.orderNumber, t.data.orderDate, t.fields.status, t.data.orderAmount, t.data.orderItems, t.data.orderContact]}>
                  {data.orders.map((order) => (
                    <tr key={order.id}>
                      <td>
                        <code title={order.id}>{shortId(order.id)}</code>
                      </td>
                      <td className="nowrap">{formatDateTime(order.createdAt)}</td>
                      <td>{label(t.enums.OrderStatus, order.status)}</td>
                      <td className="nowrap num">{formatMoney(order.amount, order.currency)}</td>
                      <td>{order.items.map((item) => t.data.item(item.name, item.quantity)).join(', ')}</td>
                      <td>{orderContact(order) || t.common.none}</td>
                    </tr>
                  ))}
                </Table>
              )}
              {data.more ? <p className="hint">{t.data.ordersMore}</p> : null}
            </Panel>
            <Redactions redactions={redactions} own />
          </>
        )}
      </Loaded>
    </Screen>
  );
}
