/**
 * User and item ids a client sends to any route (query strings and bodies) obey the event contract's
 * id rules (models/contracts/event.ts): whatever the edge answers for, it can also log as a decision
 * and the origin can store, so an id the contract refuses is a 400 at the door, not a lost log later.
 */
import { ClickEvent, ViewEvent } from "../../models/contracts/index.ts";

export const UserId = ViewEvent.shape.user_id;
export const ItemId = ClickEvent.shape.item_id;
