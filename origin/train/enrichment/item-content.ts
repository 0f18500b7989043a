/** What the origin knows about an item's content (the ItemRecord contract's fields that enrichment reads). */
export interface ItemContent {
  itemId: string;
  title?: string;
  text?: string;
  categories?: readonly string[];
  imageUrl?: string;
}
